// Kernel-wide declarations: one section per file that defines them.
#pragma once

struct buf;
struct context;
struct file;
struct inode;
struct pipe;
struct proc;
struct spinlock;
struct sleeplock;
struct stat;
struct superblock;
struct socket;

// bio.c
void            binit(void);
struct buf*     bread(uint, uint);
struct buf*     bread_zero(uint, uint);   // a block about to be overwritten: no disk read
int             bcached(uint, uint);      // hint: is the block cached now?
void            bprefetch(uint, uint *, int); // read ahead these blocks, batched
#define BPREFETCH_MAX 32                  // most blocks one bprefetch reads
void            brelse(struct buf*);
void            bwrite(struct buf*);
void            bpin(struct buf*);
void            bunpin(struct buf*);

// clock.c
void            clockinit(void);

// console.c
void            consoleinit(void);
void            consoleintr(int);
void            consputc(int);
int             consolepoll(void);

// exec.c
int             kexec(char*, char**, char**);

// file.c
struct file*    filealloc(void);
void            fileclose(struct file*);
struct file*    filedup(struct file*);
void            fileinit(void);
int             fileread(struct file*, uint64, int n);
int             filestat(struct file*, uint64 addr);
int             filewrite(struct file*, uint64, int n);
int             filepread(struct file*, uint64, int n, uint off);
int             filepwrite(struct file*, uint64, int n, uint off);

// fs.c
void            fsinit(int);
int             dirlink(struct inode*, char*, uint);
struct inode*   dirlookup(struct inode*, char*, uint*);
struct inode*   ialloc(uint, short);
struct inode*   idup(struct inode*);
void            iinit(void);
void            ilock(struct inode*);
void            iput(struct inode*);
void            iunlock(struct inode*);
void            iunlockput(struct inode*);
void            iupdate(struct inode*);
int             namecmp(const char*, const char*);
struct inode*   namei(char*);
struct inode*   nameiparent(char*, char*);
int             readi(struct inode*, int, uint64, uint, uint);
void            stati(struct inode*, struct stat*);
int             writei(struct inode*, int, uint64, uint, uint);
void            itrunc(struct inode*);
int             itrunc_detach(struct inode*, struct inode**);
int             dirunlink(struct inode*, char*);
long            fs_freeblocks(void);
long            fs_freeinodes(void);

// kcov.c: edges reached in a coverage build (-1 in a normal one)
long            kcov_hits(void);
long            kcov_total(void);

// kalloc.c: page allocator (bitmap over RAM) and a small-object heap on top of it
void*           kalloc(void);                 // one page, filled with junk (5s)
void            kfree(void*);
void            kpage_share(void*);   // one more mapping of a page (fork)
void*           kalloc_pages(uint64 npages);  // physically contiguous, page aligned
void            kfree_pages(void*, uint64 npages);
void            kinit(void);
uint64          kfreepages(void);             // pages currently free
void*           kmalloc(uint64 size);         // any size; 16-byte aligned
void*           kmalloc_aligned(uint64 size, uint64 align);
void            kmfree(void*);
uint64          kmalloc_inuse(void);          // bytes handed out by kmalloc
void            kalloc_selftest(void);        // only with -DKALLOC_SELFTEST

// log.c
void            initlog(int, struct superblock*);
void            log_write(struct buf*);
void            begin_op(void);
void            end_op(void);

// poll.c
void            pollinit(void);
void            poll_notify(void);  // some file's readiness may have changed
void            poll_tick(void);    // a clock tick: pollers whose timeout passed wake
uint64          poll_scans(void);   // scans since boot (kstat KSTAT_POLLSCANS)

// pipe.c
int             pipealloc(struct file**, struct file**);
void            pipeclose(struct pipe*, int);
int             piperead(struct pipe*, uint64, int, int nonblock);
int             pipewrite(struct pipe*, uint64, int, int nonblock);
int             pipepoll(struct pipe*, int writeend);

// printf.c
int             printf(const char*, ...) __attribute__ ((format (printf, 1, 2)));
void            panic(const char*) __attribute__((noreturn));
void            printfinit(void);
int             snprintf(char*, int, const char*, ...);
extern volatile int panicked;                 // set by panic(): other harts freeze

// proc.c
int             cpuid(void);
void            kexit(int) __attribute__((noreturn));
int             kfork(void);
int             growproc(int);
void            proc_mapstacks(pagetable_t);
pagetable_t     proc_pagetable(struct proc *);
void            proc_freepagetable(pagetable_t, uint64);
int             kkill(int);
int             kgetppid(void);
int             killed(struct proc*);
void            setkilled(struct proc*, int sig);
void            kexit_signal(int sig) __attribute__((noreturn));
struct cpu*     mycpu(void);
struct proc*    myproc();
void            procinit(void);
void            scheduler(void) __attribute__((noreturn));
void            sched(void);
void            sleep(void*, struct spinlock*);
int             sleep_killable(void*, struct spinlock*);
void            userinit(void);
int             kwait(int pid, uint64 addr, int options);
void            wakeup(void*);
void            yield(void);
int             either_copyout(int user_dst, uint64 dst, void *src, uint64 len);
int             either_copyin(void *dst, int user_src, uint64 src, uint64 len);
void            procdump(void);
int             nproc_used(void);
uint64          kstack_maxuse(void);          // deepest kernel-stack use, bytes
int             nharts(void);                 // harts that reached the scheduler

// profile.c
void            profileinit(void);
uint64          profile_interval(void);       // mtime ticks between S timer interrupts; 0: TICK_HZ
void            profile_sample(int user, uint64 pc, uint64 ra, uint64 fp);
void            profile_msample(uint64 sp, uint64 ra, uint64 fp);   // machine mode

// start.c
extern int      timer_sstc;                   // 1: S ticks from stimecmp, machine timer samples
void            timer_set_interval(uint64);   // the machine-mode timer's period (no Sstc)
void            bootstack(int hart, uint64 *lo, uint64 *hi);

// signal.c
void            signalinit(void);
int             interrupted(struct proc*);        // killed, or a signal to act on
int             signal_pending_locked(struct proc*);
void            signal_raise(struct proc*, int sig);
int             signal_send(int pid, int sig);
void            signal_deliver(void);
void            signal_child_exit(struct proc*);
void            signal_fork(struct proc*, struct proc*);
void            signal_exec(struct proc*);
void            signal_clear(struct proc*);
void            signal_console_intr(void);
void            signal_alarms(uint64 now);

// sysfile.c: descriptor helpers the socket calls share
int             argfd(int n, int *pfd, struct file **pf);
int             fdalloc(struct file *f);

// swtch.S
void            swtch(struct context*, struct context*);

// spinlock.c
void            acquire(struct spinlock*);
int             holding(struct spinlock*);
void            initlock(struct spinlock*, char*);
void            release(struct spinlock*);
void            push_off(void);
void            pop_off(void);

// sleeplock.c
void            acquiresleep(struct sleeplock*);
void            releasesleep(struct sleeplock*);
int             holdingsleep(struct sleeplock*);
void            initsleeplock(struct sleeplock*, char*);

// string.c
int             memcmp(const void*, const void*, uint);
void*           memmove(void*, const void*, uint);
void*           memcpy(void*, const void*, uint);
void*           memset(void*, int, uint);
char*           safestrcpy(char*, const char*, int);
int             strlen(const char*);
int             strncmp(const char*, const char*, uint);
char*           strncpy(char*, const char*, int);

// syscall.c
void            argint(int, int*);
void            arglong(int, uint64*);
int             argstr(int, char*, int);
void            argaddr(int, uint64 *);
int             fetchstr(uint64, char*, int);
int             fetchaddr(uint64, uint64*);
void            syscall();

// trap.c
extern uint     ticks;
extern struct spinlock tickslock;
void            trapinit(void);
void            trapinithart(void);
void            usertrapret(void);
uint64          uptime_ms(void);   // milliseconds since boot, from the CLINT clock
uint            clock_ticks(void); // the tick the clock is in now (ticks may lag it)

// uart.c
void            uartinit(void);
void            uart_paging_on(void);
void            uartintr(void);
void            uartputs(const char*, int);
void            uartputc_sync(int);
void            uart_sync_begin(void);
void            uart_sync_end(void);
int             uartgetc(void);

// vm.c
void            kvminit(void);
void            kvminithart(void);
void            kvmmap(pagetable_t, uint64, uint64, uint64, int);
int             mappages(pagetable_t, uint64, uint64, uint64, int);
pagetable_t     uvmcreate(void);
uint64          uvmalloc(pagetable_t, uint64, uint64, int);
uint64          uvmdealloc(pagetable_t, uint64, uint64);
int             uvmcopy(pagetable_t, pagetable_t, uint64);
void            uvmfree(pagetable_t, uint64);
void            uvmunmap(pagetable_t, uint64, uint64, int);
void            uvmclear(pagetable_t, uint64);
pte_t *         walk(pagetable_t, uint64, int);
uint64          walkaddr(pagetable_t, uint64);
int             copyout(pagetable_t, uint64, char *, uint64);
int             copyin(pagetable_t, char *, uint64, uint64);
int             copyinstr(pagetable_t, char *, uint64, uint64);
uint64          vmfault(pagetable_t, uint64 va, int write); // map a lazy page; pa or 0
uint64          tlb_epoch_new(void);
void            uvm_activate(struct proc*);     // run on p's table (interrupts off)
void            uvm_activate_kernel(void);
void            uvm_changed(struct proc*, uint64 va); // p changed its table at va (-1: anywhere)
#define SBRK_EAGER 1   // sys_sbrk(n, type): map the new pages now
#define SBRK_LAZY  2   // ... or only grow p->sz; pages appear when touched
#define WNOHANG    1   // waitpid: do not wait for the child to exit

// plic.c
void            plicinit(void);
void            plicinithart(void);
void            plic_enable(int irq);      // route a device irq to every hart's S-mode
int             plic_claim(void);
void            plic_complete(int);

// disk.c: the block device, served by the Swift virtio-blk driver
void            disk_init(void);
void            disk_rw(struct buf *, int write);
void            disk_rw_many(uint *blocknos, uchar **datas, int n, int write); // n requests in flight
void            disk_rw_batch(struct buf **bufs, int n, int write);  // n locked bufs
void            disk_intr(void);
extern int      disk_irq;

// random.c: the kernel's random numbers (the pool's interface for Swift and
// the lwIP port is CShims/include/entropy.h)
void            random_init(void);       // boot: seed from virtio-rng, or timer jitter
void            random_intr(void);       // the entropy device's interrupt
extern int      rng_irq;                 // its PLIC irq, -1 if none
uint64          rtc_read_ns(void);       // clock.c: wall clock, ns since 1970

// net.c: network bring-up, the network lock, lwIP timers (network issue)
void            netinit(void);
int             net_intr(int irq);       // 1 if irq was a NIC's
void            net_probed(void);        // after the NIC probes: warns if none
void            net_timer(void);
extern struct spinlock netlock;  // guards lwIP and the NIC drivers (rules in net.c)
void            net_lock(void);
void            net_unlock(void);
void            net_sleep(void *chan);   // sleep(chan, &netlock)
struct netinfo;                          // CShims/include/abi/netinfo.h
int             netinfo(int index, struct netinfo*);  // 0, or -1 past the last interface

// sockfile.c: the socket file type (sockets issue); sysnet.c has the calls
int             sockread(struct socket*, uint64, int);
int             sockwrite(struct socket*, uint64, int);
void            sockclose(struct socket*);
int             sockfile(struct socket*, int flags);  // a new descriptor, or -errno
int             argsock(int n, struct file**);        // 0, -EBADF or -ENOTSOCK
int             sigpipe_on_epipe(int r, int flags);   // r; SIGPIPE if -EPIPE

// number of elements in fixed-size array
#define NELEM(x) (sizeof(x)/sizeof((x)[0]))
