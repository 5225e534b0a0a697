// The user-space interface: system calls (User/lib/usys.S) and the small C library
// (User/lib/ulib.c, printf.c, umalloc.c). The declarations match xv6-riscv's
// user/user.h, so its programs build unchanged; older xv6 names (sleep) and a few
// additions (poweroff, kstat, waitpid, rename, vprintf, snprintf, strncmp, strncpy) follow.
// Like xv6's, this header expects kernel/types.h to be included first.
#pragma once
#include <stdarg.h>
#include "kernel/sigabi.h"

struct stat;
struct timespec;   // kernel/clock.h
struct pollfd;     // kernel/poll.h

// sys_sbrk's second argument: map the pages now, or only when first touched.
#ifndef SBRK_EAGER
#define SBRK_EAGER 1
#endif
#ifndef SBRK_LAZY
#define SBRK_LAZY 2
#endif
#define SBRK_ERROR ((char *)-1)

// waitpid's options: return 0 at once if the child has not exited yet.
#ifndef WNOHANG
#define WNOHANG 1
#endif

// system calls
int fork(void);
int exit(int) __attribute__((noreturn));
int wait(int*);
int pipe(int*);
int write(int, const void*, int);
int read(int, void*, int);
int close(int);
int kill(int);
int exec(const char*, char**);
int open(const char*, int);
int mknod(const char*, short, short);
int unlink(const char*);
int fstat(int fd, struct stat*);
int link(const char*, const char*);
int mkdir(const char*);
int chdir(const char*);
int dup(int);
int getpid(void);
char* sys_sbrk(int, int);
int pause(int);
int sleep(int);          // older xv6 name of pause (same system call)
int uptime(void);
int poweroff(void);      // power the machine off; returns only on failure
long kstat(int);         // kernel statistics, selectors in kernel/kstat.h
int waitpid(int pid, int *status, int options);   // pid -1: any child
int rename(const char*, const char*);             // atomic; replaces a file or empty directory
// These two return -1 with errno set (user/socket.h declares errno).
int clock_gettime(int clockid, struct timespec*);  // kernel/clock.h
int poll(struct pollfd*, int nfds, int timeout_ms); // kernel/poll.h; timeout < 0: for ever
// POSIX file calls (45..48): these return -errno (kernel/errnum.h) on failure.
long lseek(int fd, long offset, int whence);      // whence 0 set, 1 cur, 2 end
int dup3(int oldfd, int newfd, int flags);        // flags 0 or O_CLOEXEC
long pread(int fd, void *buf, int n, long offset);
long pwrite(int fd, const void *buf, int n, long offset);
int execve(const char*, char**, char**);          // exec with an environment (main's 3rd argument)
int getppid(void);                                // the parent's pid (1 once it exited)
long profile(int op, void *buf, int len);         // the sampling profiler: kernel/profile.h
long getrandom(void *buf, unsigned long len, unsigned int flags); // bytes or -errno; GRND_* in kernel/random.h

// signals (kernel/sigabi.h; User/lib/signal.c): 0 or a negative errno.
// kill(pid) above is sigsend(pid, SIGKILL).
typedef void (*sighandler_t)(int);
int sigaction(int sig, const struct ksigaction *act, struct ksigaction *old);
sighandler_t signal(int sig, sighandler_t handler);   // with SA_RESTART
int sigprocmask(int how, const uint64 *set, uint64 *old);
int sigreturn(void);                 // the restorer; only a handler returns here
int sigsend(int pid, int sig);       // POSIX kill(pid, sig); sig 0 checks pid
int alarm(uint seconds);             // SIGALRM then; seconds left of the last one
int sigpending(uint64 *set);
int sigsuspend(const uint64 *mask);  // until a handler has run: -EINTR

// (the socket calls, numbers 30 and up, are declared in a later section)

// ulib.c
int stat(const char*, struct stat*);
char* strcpy(char*, const char*);
void* memmove(void*, const void*, int);
char* strchr(const char*, char c);
int strcmp(const char*, const char*);
char* gets(char*, int max);
uint strlen(const char*);
void* memset(void*, int, uint);
int atoi(const char*);
int writeall(int fd, const void *buf, int n);   // all n bytes: 0, or -1
int memcmp(const void*, const void*, uint);
void* memcpy(void*, const void*, uint);
char* sbrk(int);
char* sbrklazy(int);
int strncmp(const char*, const char*, uint);
char* strncpy(char*, const char*, int);

// printf.c
void fprintf(int, const char*, ...) __attribute__((format(printf, 2, 3)));
void printf(const char*, ...) __attribute__((format(printf, 1, 2)));
void vprintf(int, const char*, va_list);
int snprintf(char*, int, const char*, ...) __attribute__((format(printf, 3, 4)));

// umalloc.c
void* malloc(uint);
void free(void*);
