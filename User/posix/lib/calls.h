// calls.h: the raw system calls of User/posix/lib/calls.S, for the POSIX
// library's own files. Results are the kernel's: the xv6 calls give -1 on
// failure, the socket and newer calls -errno (Linux's numbers,
// CShims/include/abi/errnum.h).
#pragma once

struct kstat;   // Kernel/stat.h's struct stat, named apart from the C library's

int __xv6_fork(void);
void __xv6_exit(int status) __attribute__((noreturn));
int __xv6_pipe(int *fds);
int __xv6_read(int fd, void *buf, int n);
int __xv6_write(int fd, const void *buf, int n);
int __xv6_kill(int pid);
struct ksigaction;
int __xv6_sigaction(int sig, const struct ksigaction *act, struct ksigaction *old);
int __xv6_sigprocmask(int how, const unsigned long *set, unsigned long *old);
int __xv6_sigsend(int pid, int sig);
unsigned __xv6_alarm(unsigned seconds);
int __xv6_sigpending(unsigned long *set);
int __xv6_sigsuspend(const unsigned long *mask);
int __xv6_exec(const char *path, char *const *argv);
int __xv6_execve(const char *path, char *const *argv, char *const *envp);
int __xv6_fstat(int fd, struct kstat *st);
int __xv6_chdir(const char *path);
int __xv6_dup(int fd);
int __xv6_getpid(void);
int __xv6_getppid(void);
long __xv6_getrandom(void *buf, unsigned long len, unsigned int flags);
char *__xv6_sbrk(int n, int type);
int __xv6_pause(int ticks);
int __xv6_uptime(void);
int __xv6_open(const char *path, int flags);
int __xv6_unlink(const char *path);
int __xv6_link(const char *old, const char *new);
int __xv6_mkdir(const char *path);
int __xv6_close(int fd);
int __xv6_waitpid(int pid, int *status, int options);
int __xv6_rename(const char *old, const char *new);
int __xv6_socket(int domain, int type, int protocol);
int __xv6_bind(int fd, const void *addr, unsigned len);
int __xv6_listen(int fd, int backlog);
int __xv6_accept(int fd, void *addr, unsigned *len);
int __xv6_accept4(int fd, void *addr, unsigned *len, int flags);
int __xv6_connect(int fd, const void *addr, unsigned len);
int __xv6_sendto(int fd, const void *buf, int len, int flags, const void *to,
                 unsigned tolen);
int __xv6_recvfrom(int fd, void *buf, int len, int flags, void *from,
                   unsigned *fromlen);
int __xv6_shutdown(int fd, int how);
int __xv6_getsockname(int fd, void *addr, unsigned *len);
int __xv6_getpeername(int fd, void *addr, unsigned *len);
struct iovec;
long __xv6_readv(int fd, const struct iovec *iov, int iovcnt);
long __xv6_writev(int fd, const struct iovec *iov, int iovcnt);
int __xv6_setsockopt(int fd, int level, int name, const void *val, unsigned len);
int __xv6_getsockopt(int fd, int level, int name, void *val, unsigned *len);
int __xv6_netinfo(int what, void *buf, int index);
int __xv6_fcntl(int fd, int cmd, int arg);
long __xv6_lseek(int fd, long off, int whence);
int __xv6_dup3(int oldfd, int newfd, int flags);
long __xv6_pread(int fd, void *buf, long n, long off);
long __xv6_pwrite(int fd, const void *buf, long n, long off);

struct timespec;
struct pollfd;
int __xv6_clock_gettime(int kclock, struct timespec *ts);
int __xv6_poll(struct pollfd *fds, int nfds, int timeout_ms);

// The kernel's clock ids (kclock.c).
extern const int __xv6_kclock_realtime, __xv6_kclock_monotonic;

// A result of a call that returns -errno: itself, or -1 with errno set to
// the C library's number for the kernel's (errmap.c).
long __xv6_ret(long r);
// The kernel's errno number as the C library's (EIO for one it does not know).
int __xv6_errno(int kerr);
