// System call numbers. 1-21 are xv6-riscv's, unchanged, so its user programs run;
// the network calls follow.
#pragma once

#define SYS_fork        1
#define SYS_exit        2
#define SYS_wait        3
#define SYS_pipe        4
#define SYS_read        5
#define SYS_kill        6
#define SYS_exec        7
#define SYS_fstat       8
#define SYS_chdir       9
#define SYS_dup        10
#define SYS_getpid     11
#define SYS_sbrk       12
#define SYS_pause      13   // xv6's sleep(ticks); newer xv6 calls it pause
#define SYS_sleep      SYS_pause
#define SYS_uptime     14
#define SYS_open       15
#define SYS_write      16
#define SYS_mknod      17
#define SYS_unlink     18
#define SYS_link       19
#define SYS_mkdir      20
#define SYS_close      21
#define SYS_poweroff   22   // shut the machine down (virt test finisher)
#define SYS_kstat      23   // kernel statistics (free pages, ...) for tests
#define SYS_waitpid    24   // wait for one child, or poll (WNOHANG)
#define SYS_rename     25   // rename(old, new), atomic (one transaction)
#define SYS_clock_gettime 26   // clock_gettime(clockid, struct timespec*): kernel/clock.h
// signals (sigabi.h): 27-29, 50-53
#define SYS_sigaction  27
#define SYS_sigprocmask 28
#define SYS_sigreturn  29
#define SYS_sigsend    50   // POSIX kill(pid, sig)
#define SYS_alarm      51
#define SYS_sigpending 52
#define SYS_sigsuspend 53
#define SYS_execve     54   // execve(path, argv, envp): exec with an environment
// network calls (sockets issue): 30 and up
#define SYS_socket     30
#define SYS_bind       31
#define SYS_listen     32
#define SYS_accept     33
#define SYS_connect    34
#define SYS_sendto     35
#define SYS_recvfrom   36
#define SYS_shutdown   37
#define SYS_getsockname 38
#define SYS_getpeername 39
#define SYS_setsockopt 40
#define SYS_getsockopt 41
#define SYS_netinfo    42
#define SYS_fcntl      43
#define SYS_poll       44   // poll(struct pollfd*, nfds, timeout_ms): kernel/poll.h
// POSIX file calls (Kernel/sysposix.c): 45..49; they return -errno
#define SYS_lseek      45
#define SYS_dup3       46
#define SYS_pread      47
#define SYS_pwrite     48
#define SYS_getppid    49   // the parent's pid
// more socket and I/O calls: 55..59
#define SYS_accept4    55   // accept4(fd, addr, addrlen*, flags)
#define SYS_readv      56   // readv(fd, iov, iovcnt): any descriptor
#define SYS_writev     57   // writev(fd, iov, iovcnt)
// 60: the sampling profiler (kernel/profile.h)
#define SYS_profile    60   // profile(op, buf, len)
// Linux's number (riscv64, asm-generic), as its semantics are Linux's
#define SYS_getrandom  278  // getrandom(buf, len, flags): Kernel/random.c
