// syscall.c: system-call dispatch and argument fetching. The number is in a7,
// arguments in a0..a5, the result goes back in a0. User pointers are only ever
// read through copyin/copyinstr, which fail (-1) on a bad address.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "syscall.h"
#include "defs.h"
#include "errnum.h"

// Fetch the 8 bytes at user address addr. Returns 0 or -1.
int
fetchaddr(uint64 addr, uint64 *ip)
{
  struct proc *p = myproc();

  if(addr >= p->sz || addr + sizeof(uint64) > p->sz)
    return -1;
  return copyin(p->pagetable, (char*)ip, addr, sizeof(*ip));
}

// Fetch the NUL-terminated string at user address addr into buf (max bytes).
// Returns its length, or -1.
int
fetchstr(uint64 addr, char *buf, int max)
{
  if(max <= 0 || copyinstr(myproc()->pagetable, buf, addr, max) < 0)
    return -1;
  return strlen(buf);
}

static uint64
argraw(int n)
{
  struct trapframe *tf = myproc()->trapframe;

  switch(n){
  case 0: return tf->a0;
  case 1: return tf->a1;
  case 2: return tf->a2;
  case 3: return tf->a3;
  case 4: return tf->a4;
  case 5: return tf->a5;
  }
  panic("argraw");
}

// The n'th argument as an int.
void
argint(int n, int *ip)
{
  *ip = argraw(n);
}

// The n'th argument, all 64 bits.
void
arglong(int n, uint64 *lp)
{
  *lp = argraw(n);
}

// The n'th argument as a user address. Not checked here: copyin/copyout will.
void
argaddr(int n, uint64 *ip)
{
  *ip = argraw(n);
}

// The n'th argument as a user string, copied into buf (max bytes).
// Returns its length, or -1.
int
argstr(int n, char *buf, int max)
{
  uint64 addr;

  argaddr(n, &addr);
  return fetchstr(addr, buf, max);
}

// sysproc.c
extern uint64 sys_fork(void);
extern uint64 sys_exit(void);
extern uint64 sys_wait(void);
extern uint64 sys_kill(void);
extern uint64 sys_getpid(void);
extern uint64 sys_sbrk(void);
extern uint64 sys_pause(void);
extern uint64 sys_uptime(void);
extern uint64 sys_poweroff(void);
extern uint64 sys_kstat(void);
extern uint64 sys_waitpid(void);
// sysfile.c
extern uint64 sys_pipe(void);
extern uint64 sys_read(void);
extern uint64 sys_exec(void);
extern uint64 sys_fstat(void);
extern uint64 sys_chdir(void);
extern uint64 sys_dup(void);
extern uint64 sys_open(void);
extern uint64 sys_write(void);
extern uint64 sys_mknod(void);
extern uint64 sys_unlink(void);
extern uint64 sys_link(void);
extern uint64 sys_mkdir(void);
extern uint64 sys_close(void);
extern uint64 sys_rename(void);
extern uint64 sys_socket(void);
extern uint64 sys_bind(void);
extern uint64 sys_listen(void);
extern uint64 sys_accept(void);
extern uint64 sys_connect(void);
extern uint64 sys_sendto(void);
extern uint64 sys_recvfrom(void);
extern uint64 sys_shutdown(void);
extern uint64 sys_getsockname(void);
extern uint64 sys_getpeername(void);
extern uint64 sys_setsockopt(void);
extern uint64 sys_getsockopt(void);
extern uint64 sys_netinfo(void);
extern uint64 sys_fcntl(void);
// clock.c, poll.c
extern uint64 sys_clock_gettime(void);
extern uint64 sys_poll(void);
extern uint64 sys_lseek(void);
extern uint64 sys_dup3(void);
extern uint64 sys_pread(void);
extern uint64 sys_pwrite(void);
extern uint64 sys_getppid(void);
extern uint64 sys_execve(void);
extern uint64 sys_accept4(void);
// sysiov.c
extern uint64 sys_readv(void);
extern uint64 sys_writev(void);
// profile.c
extern uint64 sys_profile(void);
// random.c
extern uint64 sys_getrandom(void);
// signal.c
extern uint64 sys_sigaction(void);
extern uint64 sys_sigprocmask(void);
extern uint64 sys_sigreturn(void);
extern uint64 sys_sigsend(void);
extern uint64 sys_alarm(void);
extern uint64 sys_sigpending(void);
extern uint64 sys_sigsuspend(void);

// Indexed by the numbers in syscall.h; a missing (0) entry is an unknown call.
static uint64 (*syscalls[])(void) = {
  [SYS_fork]     = sys_fork,
  [SYS_exit]     = sys_exit,
  [SYS_wait]     = sys_wait,
  [SYS_pipe]     = sys_pipe,
  [SYS_read]     = sys_read,
  [SYS_kill]     = sys_kill,
  [SYS_exec]     = sys_exec,
  [SYS_fstat]    = sys_fstat,
  [SYS_chdir]    = sys_chdir,
  [SYS_dup]      = sys_dup,
  [SYS_getpid]   = sys_getpid,
  [SYS_sbrk]     = sys_sbrk,
  [SYS_pause]    = sys_pause,
  [SYS_uptime]   = sys_uptime,
  [SYS_open]     = sys_open,
  [SYS_write]    = sys_write,
  [SYS_mknod]    = sys_mknod,
  [SYS_unlink]   = sys_unlink,
  [SYS_link]     = sys_link,
  [SYS_mkdir]    = sys_mkdir,
  [SYS_close]    = sys_close,
  [SYS_poweroff] = sys_poweroff,
  [SYS_kstat]    = sys_kstat,
  [SYS_waitpid]  = sys_waitpid,
  [SYS_rename]   = sys_rename,
  [SYS_socket] = sys_socket,
  [SYS_bind] = sys_bind,
  [SYS_listen] = sys_listen,
  [SYS_accept] = sys_accept,
  [SYS_connect] = sys_connect,
  [SYS_sendto] = sys_sendto,
  [SYS_recvfrom] = sys_recvfrom,
  [SYS_shutdown] = sys_shutdown,
  [SYS_getsockname] = sys_getsockname,
  [SYS_getpeername] = sys_getpeername,
  [SYS_setsockopt] = sys_setsockopt,
  [SYS_getsockopt] = sys_getsockopt,
  [SYS_netinfo] = sys_netinfo,
  [SYS_fcntl] = sys_fcntl,
  [SYS_clock_gettime] = sys_clock_gettime,
  [SYS_poll] = sys_poll,
  [SYS_lseek]    = sys_lseek,
  [SYS_dup3]     = sys_dup3,
  [SYS_pread]    = sys_pread,
  [SYS_pwrite]   = sys_pwrite,
  [SYS_getppid]  = sys_getppid,
  [SYS_execve]   = sys_execve,
  [SYS_accept4] = sys_accept4,
  [SYS_readv] = sys_readv,
  [SYS_writev] = sys_writev,
  [SYS_sigaction] = sys_sigaction,
  [SYS_sigprocmask] = sys_sigprocmask,
  [SYS_sigreturn] = sys_sigreturn,
  [SYS_sigsend] = sys_sigsend,
  [SYS_alarm] = sys_alarm,
  [SYS_sigpending] = sys_sigpending,
  [SYS_sigsuspend] = sys_sigsuspend,
  [SYS_profile] = sys_profile,
  [SYS_getrandom] = sys_getrandom,
};

// The calls a handler with SA_RESTART resumes after -EINTR (Linux's set);
// pause, sigsuspend and poll return -EINTR whatever the flags.
static int
restartable(uint64 num)
{
  switch(num){
  case SYS_read: case SYS_write: case SYS_wait: case SYS_waitpid:
  case SYS_accept: case SYS_sendto: case SYS_recvfrom:
  case SYS_accept4: case SYS_readv: case SYS_writev: case SYS_getrandom:
    return 1;
  }
  return 0;
}

void
syscall(void)
{
  struct proc *p = myproc();
  uint64 num = p->trapframe->a7;

  if(num < NELEM(syscalls) && syscalls[num] != 0){
    uint64 a0 = p->trapframe->a0;
    p->trapframe->a0 = syscalls[num]();
    // signal_deliver() may run it again, with this first argument
    p->sig_restart = (long)p->trapframe->a0 == -EINTR && restartable(num);
    p->sig_restart_a0 = a0;
  } else {
    printf("pid %d %s: unknown sys call %ld\n", p->pid, p->name, (long)num);
    p->trapframe->a0 = -1;
  }
}
