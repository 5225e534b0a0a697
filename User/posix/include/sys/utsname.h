// <sys/utsname.h> for POSIX programs: what the system is (User/posix/lib/identity.c).
#pragma once

struct utsname {
  char sysname[65];    // "xv6-net"
  char nodename[65];   // gethostname's
  char release[65];
  char version[65];
  char machine[65];    // "riscv64"
};

#ifdef __cplusplus
extern "C" {
#endif

int uname(struct utsname *u);

#ifdef __cplusplus
}
#endif
