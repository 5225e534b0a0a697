// <poll.h> for POSIX programs: poll() is system call 44; its structure and
// bits are the kernel's (CShims/include/abi/poll.h, Linux's values).
#pragma once
#include "kernel/types.h"
#include "kernel/poll.h"

typedef unsigned int nfds_t;

#ifdef __cplusplus
extern "C" {
#endif

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);

#ifdef __cplusplus
}
#endif
