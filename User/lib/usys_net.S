# Socket system-call stubs (numbers 30..43 and 55..57, kernel/syscall.h). Each loads its
# number into a7 and traps; the kernel returns a count or -errno in a0. The
# C wrappers in socket.c call these and turn -errno into errno and -1.
#include "kernel/syscall.h"

.macro NETCALL name, num
  .section .text.\name   # one section per stub: --gc-sections keeps the used ones
  .globl \name
  .type \name, @function
\name:
  li a7, \num
  ecall
  ret
  .size \name, . - \name
.endm

NETCALL __sys_socket, SYS_socket
NETCALL __sys_bind, SYS_bind
NETCALL __sys_listen, SYS_listen
NETCALL __sys_accept, SYS_accept
NETCALL __sys_connect, SYS_connect
NETCALL __sys_sendto, SYS_sendto
NETCALL __sys_recvfrom, SYS_recvfrom
NETCALL __sys_shutdown, SYS_shutdown
NETCALL __sys_getsockname, SYS_getsockname
NETCALL __sys_getpeername, SYS_getpeername
NETCALL __sys_setsockopt, SYS_setsockopt
NETCALL __sys_getsockopt, SYS_getsockopt
NETCALL __sys_netinfo, SYS_netinfo
NETCALL __sys_fcntl, SYS_fcntl
NETCALL __sys_accept4, SYS_accept4
NETCALL __sys_readv, SYS_readv
NETCALL __sys_writev, SYS_writev
