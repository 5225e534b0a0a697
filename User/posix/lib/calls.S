# The raw system calls for POSIX programs, named __xv6_<call>: the kernel's
# result comes back unchanged (a count, -1, or -errno for the newer calls).
# The C library's names (read, open, exit, ...) are wrappers over these in
# unistd.c and socket.c, which turn failures into -1 and errno. Same stubs as
# User/lib/usys.S, under names no program uses.
#include "kernel/syscall.h"

.macro CALL name, num
  .section .text.__xv6_\name
  .globl __xv6_\name
  .type __xv6_\name, @function
__xv6_\name:
  li a7, \num
  ecall
  ret
  .size __xv6_\name, . - __xv6_\name
.endm

CALL fork, SYS_fork
CALL exit, SYS_exit
CALL wait, SYS_wait
CALL pipe, SYS_pipe
CALL read, SYS_read
CALL kill, SYS_kill
CALL sigaction, SYS_sigaction
CALL sigprocmask, SYS_sigprocmask
CALL sigreturn, SYS_sigreturn
CALL sigsend, SYS_sigsend
CALL alarm, SYS_alarm
CALL sigpending, SYS_sigpending
CALL sigsuspend, SYS_sigsuspend
CALL exec, SYS_exec
CALL execve, SYS_execve
CALL fstat, SYS_fstat
CALL chdir, SYS_chdir
CALL dup, SYS_dup
CALL getpid, SYS_getpid
CALL getppid, SYS_getppid
CALL getrandom, SYS_getrandom
CALL sbrk, SYS_sbrk
CALL pause, SYS_pause
CALL uptime, SYS_uptime
CALL open, SYS_open
CALL write, SYS_write
CALL unlink, SYS_unlink
CALL link, SYS_link
CALL mkdir, SYS_mkdir
CALL close, SYS_close
CALL waitpid, SYS_waitpid
CALL rename, SYS_rename
CALL socket, SYS_socket
CALL bind, SYS_bind
CALL listen, SYS_listen
CALL accept, SYS_accept
CALL accept4, SYS_accept4
CALL readv, SYS_readv
CALL writev, SYS_writev
CALL connect, SYS_connect
CALL sendto, SYS_sendto
CALL recvfrom, SYS_recvfrom
CALL shutdown, SYS_shutdown
CALL getsockname, SYS_getsockname
CALL getpeername, SYS_getpeername
CALL setsockopt, SYS_setsockopt
CALL getsockopt, SYS_getsockopt
CALL netinfo, SYS_netinfo
CALL fcntl, SYS_fcntl
CALL lseek, SYS_lseek
CALL dup3, SYS_dup3
CALL pread, SYS_pread
CALL pwrite, SYS_pwrite
CALL clock_gettime, SYS_clock_gettime
CALL poll, SYS_poll
