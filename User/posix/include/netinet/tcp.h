// <netinet/tcp.h> for POSIX programs: TCP_NODELAY (kernel/sockabi.h), the
// one TCP-level option the kernel has.
#pragma once
#include <netinet/in.h>
