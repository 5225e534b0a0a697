# System-call stubs: each loads its number (kernel/syscall.h) into a7 and traps
# with ecall; the kernel leaves the result in a0, where the C caller finds it.
#include "kernel/syscall.h"

.macro SYSCALL name, num
  .section .text.\name   # one section per stub: --gc-sections keeps the used ones
  .globl \name
  .type \name, @function
\name:
  li a7, \num
  ecall
  ret
  .size \name, . - \name
.endm

SYSCALL fork, SYS_fork
SYSCALL exit, SYS_exit
SYSCALL wait, SYS_wait
SYSCALL pipe, SYS_pipe
SYSCALL __sys_read, SYS_read
SYSCALL kill, SYS_kill
SYSCALL exec, SYS_exec
SYSCALL fstat, SYS_fstat
SYSCALL chdir, SYS_chdir
SYSCALL dup, SYS_dup
SYSCALL getpid, SYS_getpid
SYSCALL sys_sbrk, SYS_sbrk
SYSCALL pause, SYS_pause
SYSCALL sleep, SYS_pause
SYSCALL uptime, SYS_uptime
SYSCALL open, SYS_open
SYSCALL __sys_write, SYS_write
SYSCALL mknod, SYS_mknod
SYSCALL unlink, SYS_unlink
SYSCALL link, SYS_link
SYSCALL mkdir, SYS_mkdir
SYSCALL close, SYS_close
SYSCALL poweroff, SYS_poweroff
SYSCALL kstat, SYS_kstat
SYSCALL waitpid, SYS_waitpid
SYSCALL rename, SYS_rename
# poll and clock_gettime return -errno; User/lib/clockpoll.c sets errno.
SYSCALL __sys_clock_gettime, SYS_clock_gettime
SYSCALL __sys_poll, SYS_poll
SYSCALL lseek, SYS_lseek
SYSCALL dup3, SYS_dup3
SYSCALL pread, SYS_pread
SYSCALL pwrite, SYS_pwrite
SYSCALL getppid, SYS_getppid
SYSCALL execve, SYS_execve
# signals (kernel/sigabi.h): results are 0 or -errno. sigaction is the C
# wrapper in signal.c, which supplies sigreturn as the handlers' restorer.
SYSCALL __sigaction, SYS_sigaction
SYSCALL sigprocmask, SYS_sigprocmask
SYSCALL sigreturn, SYS_sigreturn
SYSCALL sigsend, SYS_sigsend
SYSCALL alarm, SYS_alarm
SYSCALL sigpending, SYS_sigpending
SYSCALL sigsuspend, SYS_sigsuspend
# the sampling profiler (kernel/profile.h): a count, 0, or -errno
SYSCALL profile, SYS_profile
SYSCALL getrandom, SYS_getrandom   # bytes written or -errno (kernel/random.h)

# sockets (30..43 and 55..57): the kernel returns a count or -errno; the C
# wrappers in socket.c turn -errno into errno and -1.
SYSCALL __sys_socket, SYS_socket
SYSCALL __sys_bind, SYS_bind
SYSCALL __sys_listen, SYS_listen
SYSCALL __sys_accept, SYS_accept
SYSCALL __sys_connect, SYS_connect
SYSCALL __sys_sendto, SYS_sendto
SYSCALL __sys_recvfrom, SYS_recvfrom
SYSCALL __sys_shutdown, SYS_shutdown
SYSCALL __sys_getsockname, SYS_getsockname
SYSCALL __sys_getpeername, SYS_getpeername
SYSCALL __sys_setsockopt, SYS_setsockopt
SYSCALL __sys_getsockopt, SYS_getsockopt
SYSCALL __sys_netinfo, SYS_netinfo
SYSCALL __sys_fcntl, SYS_fcntl
SYSCALL __sys_accept4, SYS_accept4
SYSCALL __sys_readv, SYS_readv
SYSCALL __sys_writev, SYS_writev
