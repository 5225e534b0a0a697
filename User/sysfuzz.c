// sysfuzz: a system-call fuzzer, in the spirit of syzkaller and xv6's usertests.
//
//   sysfuzz [-p workers] [-s seed] [-n calls] [-T secs | -N programs] [-a avoid] [-v]
//           [-d deadline-secs] [-H hang-secs] [-i progress-secs] [-g generation]
//   sysfuzz -r progseed [-w slot] [-n calls] [-c 0,3,7-9] [-a avoid] [-g generation] [-v]
//   sysfuzz -m
//
// Workers run programs of n random system calls -- every call in
// kernel/syscall.h but poweroff, and a few pseudo-calls built of them (a socket
// with timeouts, a file, a damaged ELF image, all memory, a child holding many
// files or sockets) -- with arguments from structured
// generators: open, closed and out-of-range descriptors of every kind; paths in
// a scratch tree per worker ("", ".", "..", names longer than DIRSIZ, paths of
// MAXPATH bytes, paths through files); pointers that end exactly at the end of
// the heap or run past it, into the kernel's half, unmapped pages, the stack's
// guard page, the top of user space, NULL, misaligned; lengths huge, zero and
// negative; every socket domain, type, protocol and option the kernel knows and
// random ones; sbrk up and down, fork, wait, kill, exec of broken images.
//
// Each program is a fresh process forked by the supervisor, and depends only on
// its seed: its scratch tree /sf/w<slot> is rebuilt the same way each time, and
// call i is drawn from an RNG seeded by (seed, i), so a subset of the calls
// (-c) runs the same calls with the same arguments (descriptors and children
// are resolved against the state the calls before left). Every program start
// prints one line with its slot and seed; `-r SEED -w SLOT` runs that program
// alone, -v prints each call with its decoded arguments and result (what
// tools/sysfuzz/run.py uses to reproduce and minimise a crash). -m prints the
// kernel's figures (free pages, processes, edges) for the harness. See
// docs/sysfuzz.md.
//
// Keeping the rest of the machine alive: workers never touch the console
// (descriptors 0-2 are a scratch file; only -v writes call lines to it, on the
// reserved descriptor 14), never name anything outside their tree, never make
// a device of the console's major, never exec a real program (only images they
// wrote, whose code is nothing but exit calls), never kill anything but their
// own children, pid 1, 0, -1 and pids that cannot exist, and send only to
// 10.0.2.77 (nobody answers its ARP), 10.0.2.15 (the guest itself) and
// 127.0.0.1 (loopback): nothing QEMU would forward to the host.
// A program still running at its deadline (-d, 5 s) is killed; its children's
// pids are in its stats file, and the supervisor kills those too.
//
// -a names known kernel bugs whose triggers are not generated (comma-separated;
// default none): kill1, dotdot, orphan, timeo, bigtrunc, killrace (see avoids[]).
// Without killrace, a process is killed once and must then die: one that
// outlives its kill by -H seconds is reported as a hang.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "kernel/fs.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "kernel/syscall.h"
#include "kernel/profile.h"
#include "kernel/kstat.h"
#include "kernel/elf.h"
#include "kernel/file.h"
#include "user/user.h"
#include "user/socket.h"
#include "kernel/clock.h"
#include "kernel/poll.h"
#include "kernel/random.h"

#define MAXSLOT    8                 // workers (-p)
#define MAXCALLS   1024              // calls in a program (-n)
#define FD_STATS   15                // every worker: its stats file (records below)
#define FD_LOG     14                // the console with -v, else the stats file again
#define NFUZZFD    14                // descriptors 0..13 are the programs' to use
#define HEAPBUF    (64*1024)         // the worker's buffer, at its heap's start
#define EAGERMAX   (1024*1024)       // heap a worker may grow eagerly beyond HEAPBUF
#define LAZYMAX    (4*1024*1024)     // ... and lazily
#define MAXKIDS    3                 // live children of a worker
#define KIDCALLS   8                 // calls a child makes, at most
#define FLUSHEVERY 16                // calls between two stats records
#define PORTBASE   7000              // worker w binds ports PORTBASE + 8w .. + 7
#define SELF       0x0f02000aU       // 10.0.2.15, network order: the guest itself
#define BLACKHOLE  0x4d02000aU       // 10.0.2.77: nobody answers its ARP
#define LOOPBACK   0x0100007fU       // 127.0.0.1: the guest's own listeners, by loopback
#define NOPID      0x7ffffff0        // a pid the kernel will never hand out
#define EXECFAIL   100               // exit status of an exec child whose exec failed
#define NPAIRBITS  128               // result classes per call (class() below)
#define NELEM(a)   ((int)(sizeof(a) / sizeof((a)[0])))

// Known kernel bugs whose triggers -a can leave out while their fixes land.
#define AV_KILL1    1    // kill(1): init exits ("panic: init exiting")
#define AV_DOTDOT   2    // ".." from a removed cwd whose parent is gone ("ilock: no type")
#define AV_ORPHAN   4    // files made in a removed cwd are never freed
#define AV_TIMEO    8    // huge SO_RCVTIMEO/SO_SNDTIMEO timevals overflow
#define AV_BIGTRUNC 16   // O_TRUNC of a file over 14 MiB races with its writers
#define AV_KILLRACE 32   // a kill racing with a sleep is lost: kill again until it dies
static struct { const char *name; int bit; } avoids[] = {
  { "kill1", AV_KILL1 }, { "dotdot", AV_DOTDOT }, { "orphan", AV_ORPHAN },
  { "timeo", AV_TIMEO }, { "bigtrunc", AV_BIGTRUNC }, { "killrace", AV_KILLRACE },
};

// Pseudo-calls: several system calls as one step of a program.
#define PS_NEWSOCK 100   // socket with receive/send timeouts, maybe bound/listening
#define PS_MKFILE  101   // a file of some size
#define PS_MKELF   102   // an ELF image, valid or damaged, whose code only exits
#define PS_HOG     103   // all free memory but a few pages, until the program ends
#define PS_FDHOG   104   // a child holding 13 more files, pipes or sockets open

// ---------------------------------------------------------------- options
// The call table grows in generations; a program's calls depend on the table,
// so a regression case records its generation and replays with -g (run.py).
#define CALLS_GEN  6   // 1: the calls up to rename and fcntl; 2: poll, clocks, lseek, dup3,
                       //    pread/pwrite, accept4, readv/writev; 3: the signal calls, getppid, execve;
                       //    4: profile; 5: getrandom; 6: AF_INET6 sockets and sockaddr_in6
                       //    arguments (the calls are the same: their arguments changed)
static struct {
  int workers, ncalls, secs, progs, verbose, avoid, deadline, interval, hang;
  uint64 seed;
  int replay, slot;                  // -r: one program of seed, in slot
  uchar subset[MAXCALLS / 8];        // -c: the calls to run (all if !hassubset)
  int hassubset;
  int gen;                           // -g: calls of table generation <= gen (see calls[])
} opt = { 4, 48, 0, 0, 0, 0, 500, 5, 1000, 1, 0, 0, { 0 }, 0, CALLS_GEN };

// ---------------------------------------------------------------- randomness
struct rng {
  uint64 s;
};

// splitmix64: fast, and every seed is a good one.
static uint64
rnext(struct rng *r)
{
  uint64 z = (r->s += 0x9e3779b97f4a7c15UL);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
  return z ^ (z >> 31);
}

static uint64
mix(uint64 a, uint64 b)
{
  struct rng r = { a ^ (b * 0xd6e8feb86659fd93UL) };

  return rnext(&r);
}

static int
pick(struct rng *r, int n)
{
  return rnext(r) % n;
}

static int
chance(struct rng *r, int n)   // 1 in n
{
  return pick(r, n) == 0;
}

// ---------------------------------------------------------------- raw calls
// Every argument goes to the kernel as a full 64-bit register, so values
// whose low 32 bits differ from the whole (argint's truncation) are tried too.
static long
rawcall(int nr, uint64 a0, uint64 a1, uint64 a2, uint64 a3, uint64 a4, uint64 a5)
{
  register uint64 x10 asm("a0") = a0;
  register uint64 x11 asm("a1") = a1;
  register uint64 x12 asm("a2") = a2;
  register uint64 x13 asm("a3") = a3;
  register uint64 x14 asm("a4") = a4;
  register uint64 x15 asm("a5") = a5;
  register uint64 x17 asm("a7") = nr;

  asm volatile("ecall" : "+r"(x10) : "r"(x11), "r"(x12), "r"(x13), "r"(x14), "r"(x15),
               "r"(x17) : "memory");
  return x10;
}

// ---------------------------------------------------------------- statistics
// A result's class: 0, positive, or -e (the socket calls' -errno; xv6's
// calls all fail with -1, class 2).
static int
class(long r)
{
  if(r == 0)
    return 0;
  if(r > 0)
    return 1;
  if(r < -125)
    return NPAIRBITS - 1;
  return 1 - r;
}

static uchar seen[64][NPAIRBITS / 8];   // (call, class) pairs since the last record
static ushort ncalls[64];               // calls since the last record, per call
static int unflushed;

// The stats count calls by number in 0..63; getrandom's is Linux's (278),
// so it is counted in a slot no call of ours uses.
#define STAT_GETRANDOM 63

static void
record(int nr, long r)
{
  int c = class(r);

  if(nr == SYS_getrandom)
    nr = STAT_GETRANDOM;
  if(nr < 0 || nr >= 64)
    return;
  ncalls[nr]++;
  seen[nr][c / 8] |= 1 << (c % 8);
  unflushed++;
}

// Stats records, appended to FD_STATS by a worker and its children:
//   'S' nsys npairs, nsys x {sys, count}, npairs x (sys << 7 | class)
//   'P' 0 0 0, a child's pid (for the supervisor to kill, should it outlive us)
//   'K' 0 0 0, a child's pid that we killed and that is still alive as we exit
static uchar recbuf[4 + 64 * 4 + 2 * 64 * NPAIRBITS];

static void
flushstats(void)
{
  int n = 4, nsys = 0, npairs = 0;

  if(unflushed == 0)
    return;
  for(int s = 0; s < 64; s++){
    if(ncalls[s] == 0)
      continue;
    recbuf[n++] = s;
    recbuf[n++] = 0;
    *(ushort*)&recbuf[n] = ncalls[s];
    n += 2;
    nsys++;
  }
  for(int s = 0; s < 64; s++)
    for(int c = 0; c < NPAIRBITS; c++)
      if(seen[s][c / 8] & (1 << (c % 8))){
        *(ushort*)&recbuf[n] = s << 7 | c;
        n += 2;
        npairs++;
      }
  recbuf[0] = 'S';
  recbuf[1] = nsys;
  *(ushort*)&recbuf[2] = npairs;
  rawcall(SYS_write, FD_STATS, (uint64)recbuf, n, 0, 0, 0);
  memset(ncalls, 0, sizeof(ncalls));
  memset(seen, 0, sizeof(seen));
  unflushed = 0;
}

static void
recordpid(int tag, int pid)
{
  int rec[2] = { tag, pid };

  rawcall(SYS_write, FD_STATS, (uint64)rec, sizeof(rec), 0, 0, 0);
}

// A system call of the program: made, and counted.
static long
sys(int nr, uint64 a0, uint64 a1, uint64 a2, uint64 a3, uint64 a4, uint64 a5)
{
  long r = rawcall(nr, a0, a1, a2, a3, a4, a5);

  record(nr, r);
  return r;
}

// ---------------------------------------------------------------- program state
// What a program (worker or child) knows of its own process: enough to aim
// arguments at real objects, and to stay clear of calls that would block it
// for good (a read of a pipe only it could fill, a socket with no timeout).
enum { K_FREE, K_STALE, K_FILE, K_PIPER, K_PIPEW, K_TCP, K_UDP, K_RAW, K_LISTEN, NKIND };
static const char *kindname[NKIND] = {
  "free", "stale", "file", "pipe-r", "pipe-w", "tcp", "udp", "raw", "listen",
};
#define M(k)    (1 << (k))
#define M_SOCK  (M(K_TCP) | M(K_UDP) | M(K_RAW) | M(K_LISTEN))
#define M_PIPE  (M(K_PIPER) | M(K_PIPEW))
#define M_OPEN  (M(K_FILE) | M_PIPE | M_SOCK)

// One struct file as the program sees it; dup'd descriptors share one.
struct obj {
  char nonblock;        // O_NONBLOCK (F_SETFL, SOCK_NONBLOCK)
  char rcvok, sndok;    // a receive/send timeout of at most 2 s is set
  short pipe;           // pipe number (pipes[]), for both ends
};

static struct {
  int slot;
  uint64 seed;            // this program's
  int child;              // a fuzzed fork's child
  char who[16];           // "w1", or "w1.5" for the child of call 5
  char root[16];          // "/sf/w1"
  int cwddepth;           // how far below root the cwd is; -1 unknown
  char cwd[MAXPATH];      // the cwd's absolute path (canonical), "" if unknown
  int cwdgone;            // the cwd, or a directory above it, has been unlinked
  char known[32][48];     // absolute paths the program made (or found in the base tree)
  char knowndir[32];      // ... which are directories
  int nknown;
  uint64 base, end;       // heap: buffer start, and p->sz as sbrk said
  uint64 lazy;            // start of the last lazily grown part, 0 if none
  uint64 guard;           // the stack's guard page
  int kids[MAXKIDS];      // live children
  int nkids;
  int dead[4];            // reaped children (their pids, for wait and kill)
  int ndead;
  char kind[NOFILE];      // per descriptor
  char obj[NOFILE];       // per descriptor: objs[] index
  struct obj objs[NOFILE];
  int pipes[64];          // bytes in pipe i as far as we know
  int npipes;
  char elfpath[MAXPATH];  // where the last image was written ("" none)
} P;

static int
freeobj(void)
{
  for(int o = 0; o < NOFILE; o++){
    int used = 0;
    for(int fd = 0; fd < NOFILE; fd++)
      if(P.kind[fd] > K_STALE && P.obj[fd] == o)
        used = 1;
    if(!used)
      return o;
  }
  return 0;
}

// fd was just opened: a new object of kind k.
static void
newfd(int fd, int k)
{
  if(fd < 0 || fd >= NFUZZFD)
    return;
  int o = freeobj();
  P.kind[fd] = k;
  P.obj[fd] = o;
  memset(&P.objs[o], 0, sizeof(P.objs[o]));
}

static struct obj*
objof(int fd)
{
  return &P.objs[(int)P.obj[fd]];
}

// Is some descriptor of ours the given end (K_PIPER/K_PIPEW) of pipe p?
static int
pipeend(int p, int k)
{
  for(int fd = 0; fd < NOFILE; fd++)
    if(P.kind[fd] == k && objof(fd)->pipe == p)
      return 1;
  return 0;
}

// Descriptors of kinds in mask, into out[]; their count.
static int
fdsof(int mask, int *out)
{
  int n = 0;

  for(int fd = 0; fd < NFUZZFD; fd++)
    if(mask & M(P.kind[fd]))
      out[n++] = fd;
  return n;
}

// ---------------------------------------------------------------- one call
// A step of the program as generated: the call and its arguments, with what
// each argument was meant to be (for -v).
struct call {
  int nr;                 // system call, or PS_*
  const char *name;
  int nargs;
  uint64 a[6];
  char sig[6];            // d: descriptor/int, l: long, x: hex, p: pointer, s: string
  char note[6][40];       // the generator's choice, printed after the value
  const char *str[6];     // for 's': the string the pointer leads to (0: none)
};
static struct call C;

// Argument scratch: data the kernel reads (paths, addresses, options), one
// area per argument, in the program's static memory. What the kernel writes
// goes to the heap (heapbuf()), so a write past its end only meets unmapped
// memory, never the fuzzer's own state.
static char argmem[6][640];
static char text[1024];   // building strings

static void
arg(int i, char sig, uint64 v, const char *note)
{
  C.a[i] = v;
  C.sig[i] = sig;
  if(note)
    strncpy(C.note[i], note, sizeof(C.note[i]) - 1);
  if(i >= C.nargs)
    C.nargs = i + 1;
}

// ---------------------------------------------------------------- descriptors
// Mostly an open descriptor of a wanted kind; else any open one, a closed
// one, any number below NOFILE, or one out of range (some of those only in
// their upper 32 bits, which the kernel's argint drops). 14 and 15 are the
// fuzzer's own, never chosen.
static uint64
fdchoose(struct rng *r, int want)
{
  static const uint64 bad[] = { -1, NOFILE, NOFILE + 1, 64, 1000, 0x7fffffff, 0x80000000,
                                -1000 };
  int c[NFUZZFD], n, roll = pick(r, 16);
  uint64 fd;

  if(roll < 10 && (n = fdsof(want, c)) > 0)
    fd = c[pick(r, n)];
  else if(roll < 12 && (n = fdsof(M_OPEN, c)) > 0)
    fd = c[pick(r, n)];
  else if(roll < 13 && (n = fdsof(M(K_STALE), c)) > 0)
    fd = c[pick(r, n)];
  else if(roll < 14)
    fd = pick(r, NFUZZFD);
  else if(roll < 15)
    fd = (1UL << 32) + pick(r, NFUZZFD);   // argint sees the low half: a real descriptor
  else
    fd = bad[pick(r, NELEM(bad))];
  return fd;
}

static int
fdarg(struct rng *r, int i, int want)
{
  uint64 fd = fdchoose(r, want);
  int k = (int)fd;

  arg(i, 'd', fd, k >= 0 && k < NFUZZFD ? kindname[(int)P.kind[k]] : "bad");
  return k;
}

// ---------------------------------------------------------------- addresses
static int
heapok(long n)   // may the fuzzer itself write n bytes just below the heap's end?
{
  return n >= 0 && P.end >= P.base + HEAPBUF && n <= HEAPBUF;
}

// An address no user buffer may be at: the kernel's half (RAM, devices, the
// test finisher, kernel stacks, the trapframe, the trampoline, sign-extended
// and past MAXVA), unmapped pages, the stack's guard page, the top of user space.
static uint64
badaddr(struct rng *r, const char **what)
{
  static const uint64 kern[] = {
    KERNBASE, KERNBASE + PGSIZE, PHYSTOP - PGSIZE, PHYSTOP, DEVICE_VA(TESTFINISHER_PA),
    DEVICE_VA(UART0_PA), KSTACK(0), KSTACK(NPROC - 1) + 8, TRAPFRAME, TRAMPOLINE, MAXVA,
    MAXVA + PGSIZE, -1UL, -PGSIZE, 0xffffffff80000000UL, 1UL << 63,
  };

  switch(pick(r, 6)){
  case 0:
    *what = "kernel";
    return kern[pick(r, NELEM(kern))];
  case 1:
    *what = "kernel RAM";
    return KERNBASE + ((rnext(r) % (PHYSTOP - KERNBASE)) & ~7UL);
  case 2:
    *what = "unmapped";
    return PGROUNDUP(P.end) + PGSIZE * pick(r, 64) + pick(r, 2) * 8;
  case 3:
    *what = "unmapped";
    return (pick(r, 2) ? 0x40000000UL : 0x10000000UL) + pick(r, 8) * 0x1000;
  case 4:
    *what = "stack guard";
    return P.guard + (pick(r, 2) ? 0 : PGSIZE - 8);
  default:
    *what = "top of user space";
    return MAXUVA - (pick(r, 2) ? PGSIZE : 8 * (1 + pick(r, 2)));
  }
}

// Where the kernel may write n bytes: mostly the heap buffer; or ending exactly
// at the heap's end, or running past it; or the lazily grown part, read-only
// program text (NULL is its first page), or an address the kernel must refuse.
static uint64
outarg(struct rng *r, int i, long n)
{
  long span = n < 0 || n > HEAPBUF ? HEAPBUF : n;
  const char *what = "buf";
  uint64 p;

  switch(pick(r, 16)){
  case 9: case 10:
    p = P.end - span;
    what = "ends at heap end";
    break;
  case 11:
    p = P.end - 1 - pick(r, span > 1 ? span - 1 : 1);
    what = "runs past heap end";
    break;
  case 12:
    p = P.lazy ? P.lazy + pick(r, 4) * PGSIZE : P.base;
    what = P.lazy ? "lazy heap" : "buf";
    break;
  case 13:
    p = pick(r, 2) ? 0 : (uint64)badaddr;
    what = p ? "program text" : "NULL (program text)";
    break;
  case 14: case 15:
    p = badaddr(r, &what);
    break;
  default:
    p = P.base;
    if(chance(r, 4)){
      p += 1 + pick(r, 7);
      what = "buf, misaligned";
    }
  }
  arg(i, 'p', p, what);
  return p;
}

// Data the kernel will read (n bytes): mostly in argmem; or placed to end at
// the heap's end, or cut by it (the rest of it unmapped); misaligned; or an
// address the kernel must refuse. notext: never an address holding other
// readable bytes (a destination address must be ours or unreadable).
static uint64
inarg(struct rng *r, int i, const void *data, int n, int notext)
{
  const char *what = "";
  uint64 p;
  int k, roll = pick(r, 20);

  if((roll == 15 || roll == 16) && heapok(n)){
    p = P.end - n;
    memmove((void*)p, data, n);
    what = "ends at heap end";
  } else if(roll == 17 && n > 1 && heapok(n)){
    k = 1 + pick(r, n - 1);
    p = P.end - k;
    memmove((void*)p, data, k);
    what = "cut by heap end";
  } else if(roll == 18 || (roll == 19 && notext)){
    p = badaddr(r, &what);
  } else if(roll == 19){
    p = pick(r, 2) ? 0 : (uint64)badaddr;
    what = p ? "program text" : "NULL (program text)";
  } else {
    k = (roll == 14 && n + 4 <= sizeof(argmem[i])) ? 1 + pick(r, 3) : 0;
    p = (uint64)argmem[i] + k;
    memmove((void*)p, data, n);
    if(k)
      what = "misaligned";
  }
  arg(i, 'p', p, what);
  return p;
}

// A length: zero, small, page-sized and around it, huge, negative, or with
// its upper 32 bits set (the kernel takes the low half).
static long
lenarg(struct rng *r, int i)
{
  static const long fixed[] = {
    0, 1, 2, 16, 511, 512, 513, 4095, 4096, 4097, 8192, 65536, 1 << 20, 0x7fffffff,
    -1, -4096, -0x80000000L, 0x80000000L, 0xffffffffL, 0x100000010L,
  };
  long n = chance(r, 3) ? pick(r, 2048) : fixed[pick(r, NELEM(fixed))];

  arg(i, 'l', n, 0);
  return n;
}

// An int that user memory holds for the kernel to read and write back (the
// socklen_t* of accept, recvfrom, getsockname, getsockopt).
static void
lenptrarg(struct rng *r, int i)
{
  static const int vals[] = { 16, 16, 4, 0, 1, 8, 15, 17, 1000, -1 };
  uint64 p = P.base + HEAPBUF - 64;
  const char *what = "len";

  if(chance(r, 6))
    p = chance(r, 2) ? badaddr(r, &what) : 0;
  else if(heapok(64))
    *(int*)p = vals[pick(r, NELEM(vals))];
  arg(i, 'p', p, what);
}

// ---------------------------------------------------------------- paths
// Names are from a small vocabulary, so that calls meet each other's files;
// the base tree (basetree()) has a/ a/c/ b e f. No name is that of anything
// outside the tree, and ".." never climbs above the worker's root: whatever a
// path resolves to is the worker's own.
static const char *names[] = { "a", "b", "c", "d", "e", "f" };
static const char *longnames[] = {
  "abcdefghijklm", "abcdefghijklmn", "abcdefghijklmno",   // DIRSIZ-1, DIRSIZ, DIRSIZ+1
  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
};

static void
addname(char *t, const char *s)
{
  int n = strlen(t);

  if(n > 0)
    t[n++] = '/';
  strcpy(t + n, s);
}

// Resolve ".", ".." and repeated slashes of absolute path s in place, and cut
// names to DIRSIZ as the kernel does: with no links in the file system, this
// is the directory the kernel finds too.
static void
canon(char *s)
{
  int n = 0, k;
  char *p = s;

  while(*p){
    while(*p == '/')
      p++;
    for(k = 0; p[k] && p[k] != '/'; k++)
      ;
    if(k == 2 && p[0] == '.' && p[1] == '.'){
      while(n > 0 && s[--n] != '/')
        ;
    } else if(k > 0 && !(k == 1 && p[0] == '.')){
      s[n++] = '/';
      memmove(s + n, p, k < DIRSIZ ? k : DIRSIZ);
      n += k < DIRSIZ ? k : DIRSIZ;
    }
    p += k;
  }
  if(n == 0)
    s[n++] = '/';
  s[n] = 0;
}

// The absolute form of path s (a relative one from the cwd) in out; 0 if
// that is not known or does not fit.
static int
abspath(const char *s, char *out, int max)
{
  int n = strlen(P.cwd), k = strlen(s);

  if(s[0] == '/'){
    if(k >= max)
      return 0;
    strcpy(out, s);
  } else {
    if(n == 0 || n + 1 + k >= max)
      return 0;
    strcpy(out, P.cwd);
    out[n] = '/';
    strcpy(out + n + 1, s);
  }
  canon(out);
  return 1;
}

// Is directory d (canonical) the cwd or above it?
static int
abovecwd(const char *d)
{
  int n = strlen(d);

  return P.cwd[0] && strncmp(P.cwd, d, n) == 0 && (P.cwd[n] == 0 || P.cwd[n] == '/');
}

// The cwd or a directory above it, up to the root's child: what unlink aims
// at now and then, so that programs go on in removed directories.
static int
cwdpath(struct rng *r, char *t)
{
  if(P.cwddepth < 1 || P.cwd[0] == 0)
    return 0;
  strcpy(t, P.cwd);
  for(int up = pick(r, P.cwddepth), n = strlen(t); up > 0; up--){
    while(t[--n] != '/')
      ;
    t[n] = 0;
  }
  return 1;
}

// How many directories below root the absolute path p leads; -1 if it is
// not under root or climbs above it.
static int
depthof(const char *p)
{
  int n = strlen(P.root), depth = 0, k;

  if(strncmp(p, P.root, n) != 0 || (p[n] != '/' && p[n] != 0))
    return -1;
  for(p += n; *p; p += k){
    while(*p == '/')
      p++;
    for(k = 0; p[k] && p[k] != '/'; k++)
      ;
    if(k == 0 || (k == 1 && p[0] == '.'))
      continue;
    depth += (k == 2 && p[0] == '.' && p[1] == '.') ? -1 : 1;
    if(depth < 0)
      return -1;
  }
  return depth;
}

// A path the program made (mkdir, open O_CREATE, link, ...) goes on the list
// paths are drawn from, so that later calls meet it; unlink takes it off.
static void
addknown(const char *s, int dir)
{
  char t[sizeof(P.known[0])];
  int i;

  if(s == 0 || !abspath(s, t, sizeof(t)))
    return;
  for(i = 0; i < P.nknown && strcmp(P.known[i], t) != 0; i++)
    ;
  if(i == P.nknown){
    if(P.nknown == NELEM(P.known))
      i = 5 + P.nknown % (NELEM(P.known) - 5);   // the base tree stays
    else
      P.nknown++;
  }
  strcpy(P.known[i], t);
  P.knowndir[i] = dir;
}

static void
dropknown(const char *s)
{
  char t[sizeof(P.known[0])];

  if(s == 0 || !abspath(s, t, sizeof(t)))
    return;
  for(int i = 0; i < P.nknown; i++){
    if(strcmp(P.known[i], t) == 0){
      P.nknown--;
      strcpy(P.known[i], P.known[P.nknown]);
      P.knowndir[i] = P.knowndir[P.nknown];
      return;
    }
  }
}

// A known path (a directory if dir), or something in it, or it by way of
// "." or "..".
static void
knownpath(struct rng *r, char *t, int dir)
{
  int i = pick(r, P.nknown);

  for(int j = 0; dir && !P.knowndir[i] && j < P.nknown; j++)
    i = (i + 1) % P.nknown;
  strcpy(t, P.known[i]);
  switch(pick(r, 8)){
  case 0: case 1: case 2: case 3:
    break;
  case 4: case 5:
    addname(t, names[pick(r, NELEM(names))]);
    break;
  case 6:
    addname(t, ".");
    break;
  default:
    addname(t, "..");
  }
}

// What a path is for: any use, a name to create, a directory to enter, a
// name to remove. The generators lean accordingly.
enum { PA_ANY, PA_CREATE, PA_DIR, PA_REMOVE };

// May a path start at the cwd? ".." from a removed cwd and files made in one
// are known bugs (-a dotdot, -a orphan); the root itself is never removed.
static int
relok(int creating)
{
  if(P.cwddepth < 0)
    return 0;
  if(P.cwddepth > 0 && creating && (opt.avoid & AV_ORPHAN))
    return 0;
  return 1;
}

// 1 to 3 components, absolute (from root) or relative, some "." and "..",
// empty (a double slash) or longer than DIRSIZ.
static void
treepath(struct rng *r, char *t, int creating)
{
  int depth = 0, floor = 0, k = 1 + pick(r, 3);

  if(relok(creating) && chance(r, 2)){
    t[0] = 0;
    depth = P.cwddepth;
    floor = (opt.avoid & AV_DOTDOT) ? P.cwddepth : 0;
  } else {
    strcpy(t, P.root);
  }
  for(int j = 0; j < k; j++){
    int c = pick(r, 20);
    if(c < 14){
      addname(t, names[pick(r, NELEM(names))]);
      depth++;
    } else if(c < 16){
      addname(t, ".");
    } else if(c < 18 && depth > floor){
      addname(t, "..");
      depth--;
    } else if(c < 19){
      addname(t, longnames[pick(r, NELEM(longnames))]);
      depth++;
    } else {
      addname(t, "");
    }
  }
}

// root + slashes or "/." runs + "/a", exactly len bytes long: around MAXPATH.
static void
longpath(struct rng *r, char *t)
{
  static const int lens[] = { MAXPATH - 2, MAXPATH - 1, MAXPATH, MAXPATH + 1, 300 };
  int len = lens[pick(r, NELEM(lens))], dots = chance(r, 2), n;

  strcpy(t, P.root);
  for(n = strlen(t); n < len - 2; n++)
    t[n] = (dots && (n & 1)) ? '.' : '/';
  t[n - 1] = '/';      // never "..", whatever the parity
  t[n++] = '/';
  t[n++] = 'a';
  t[n] = 0;
}

// The corner cases: "", ".", "..", trailing and doubled slashes.
static void
oddpath(struct rng *r, char *t, int creating)
{
  static const char *rel[] = { "", ".", "./", "a/", "a//b", "./a/./b", "..", "../a" };
  static const char *abs[] = { "/.", "/", "//a", "/a/..", "/./a/c/.." };
  int k;

  if(relok(creating) && chance(r, 2)){
    k = pick(r, NELEM(rel));
    if(k >= 6 && (P.cwddepth == 0 || (opt.avoid & AV_DOTDOT)))
      k = 1;   // no climbing above the cwd
    strcpy(t, rel[k]);
  } else {
    k = pick(r, NELEM(abs));
    strcpy(t, P.root);
    strcpy(t + strlen(t), abs[k]);
  }
}

static void
pathstr(struct rng *r, char *t, int mode)
{
  int k, creating = mode == PA_CREATE;

  if(mode == PA_REMOVE && chance(r, 4) && cwdpath(r, t))
    return;
  // in a removed cwd, paths from the cwd (known bugs lurk there)
  if(P.cwdgone && relok(creating) && chance(r, 2)){
    t[0] = 0;
    if(P.cwddepth > 0 && !(opt.avoid & AV_DOTDOT) && chance(r, 2))
      strcpy(t, "..");
    addname(t, chance(r, 3) ? "." : names[pick(r, NELEM(names))]);
    return;
  }
  switch(pick(r, 20)){
  case 0: case 1:
    oddpath(r, t, creating);
    break;
  case 6: case 7: case 8: case 9: case 10: case 11:
    if(P.nknown > 0){
      knownpath(r, t, mode == PA_DIR);
      break;
    }
    treepath(r, t, creating);
    break;
  case 2:
    strcpy(t, P.root);
    addname(t, longnames[pick(r, NELEM(longnames))]);
    break;
  case 3:
    longpath(r, t);
    break;
  case 4:   // through a file
    strcpy(t, P.root);
    addname(t, pick(r, 2) ? "f" : "b");
    addname(t, pick(r, 3) ? names[pick(r, NELEM(names))] : pick(r, 2) ? "." : "..");
    break;
  case 5:   // deep
    strcpy(t, P.root);
    k = 3 + pick(r, 8);
    for(int j = 0; j < k; j++)
      addname(t, pick(r, 4) ? "a" : "c");
    break;
  default:
    treepath(r, t, creating);
  }
}

// A path argument: the string in argmem, or ending at the heap's end; or
// unterminated up to the heap's end; or a bad address (never program text:
// its bytes are no name of ours).
static void
patharg(struct rng *r, int i, int mode)
{
  const char *what = "";
  int n, roll = pick(r, 24);
  uint64 p;

  pathstr(r, text, mode);
  n = strlen(text) + 1;
  if(roll == 0){
    p = badaddr(r, &what);
    arg(i, 'p', p, what);
    return;
  }
  if(roll == 1 && heapok(n)){
    p = P.end - (n - 1);
    memmove((void*)p, text, n - 1);
    arg(i, 'p', p, "unterminated at heap end");
    return;
  }
  if(roll == 2 && heapok(n)){
    p = P.end - n;
    what = "ends at heap end";
  } else {
    p = (uint64)argmem[i];
  }
  memmove((void*)p, text, n);
  C.str[i] = (char*)p;
  arg(i, 's', p, what);
}

// ---------------------------------------------------------------- sockets
static int
ownport(struct rng *r)
{
  return PORTBASE + 8 * P.slot + pick(r, 8);
}

// A struct sockaddr_in6 for argument i (its length is argument ilen), as
// addrarg below. Destinations stay in the guest (::1, ::ffff:127.0.0.1) or
// go nowhere (2001:db8::/32 is for documentation: QEMU's router drops it);
// link-local ones with no scope, a real one or one no interface has.
static void
addrarg6(struct rng *r, int i, int ilen, int dest)
{
  static const uchar addrs[][16] = {
    { 0 },                                                        // ::
    { [15] = 1 },                                                 // ::1
    { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 },                   // ::ffff:127.0.0.1
    { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x4d },                      // 2001:db8::4d
    { 0xfe, 0x80, [15] = 1 },                                     // fe80::1
    { 0xff, 0x02, [15] = 1 },                                     // ff02::1 (all nodes)
  };
  static const uint32 scopes[] = { 0, 0, 1, 2, 9, 0xffffffff };
  static const int lens[] = { 28, 28, 28, 28, 24, 16, 0, 27, 29, 128, -1 };
  struct sockaddr_in6 sa;
  int port, k;

  memset(&sa, 0, sizeof(sa));
  sa.sin6_family = AF_INET6;
  port = pick(r, 4) ? ownport(r) : pick(r, 65536);
  sa.sin6_port = htons(port);
  k = dest ? 1 + pick(r, NELEM(addrs) - 1) : pick(r, NELEM(addrs));
  memmove(&sa.sin6_addr, addrs[k], 16);
  sa.sin6_scope_id = scopes[pick(r, NELEM(scopes))];
  sa.sin6_flowinfo = chance(r, 8) ? rnext(r) : 0;
  inarg(r, i, &sa, sizeof(sa), dest);
  snprintf(text, sizeof(text), "inet6 #%d port %d scope %d%s%s", k, port, (int)sa.sin6_scope_id,
           C.note[i][0] ? ", " : "", C.note[i]);
  strncpy(C.note[i], text, sizeof(C.note[i]) - 1);
  arg(ilen, 'l', lens[pick(r, NELEM(lens))], 0);
}

// A struct sockaddr_in for argument i (its length is argument ilen). dest:
// something may be sent there, so the address stays in the guest or is one
// nobody answers; bind takes any address. From generation 6, a quarter of
// them are IPv6 (addrarg6).
static void
addrarg(struct rng *r, int i, int ilen, int dest)
{
  static const uint32 dests[] = { SELF, BLACKHOLE, LOOPBACK };
  static const uint32 binds[] = { 0, SELF, LOOPBACK, BLACKHOLE, 0xffffffff, 0x010000e0 };
  static const ushort families[] = { 0, 1, 10, 0xffff };
  static const int lens[] = { 16, 16, 16, 16, 16, 0, 8, 15, 17, 128, -1, 0x7fffffff };
  struct sockaddr_in sa;
  int port;
  uchar *a;

  if(opt.gen >= 6 && chance(r, 4)){
    addrarg6(r, i, ilen, dest);
    return;
  }
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = pick(r, 8) ? AF_INET : families[pick(r, NELEM(families))];
  switch(pick(r, 8)){
  case 4: port = 0; break;
  case 5: port = PORTBASE + pick(r, 8 * MAXSLOT); break;   // another worker's
  case 6: port = pick(r, 2) ? 80 : 65535; break;
  case 7: port = pick(r, 65536); break;
  default: port = ownport(r);
  }
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = dest ? dests[pick(r, NELEM(dests))] : binds[pick(r, NELEM(binds))];
  inarg(r, i, &sa, sizeof(sa), dest);
  a = (uchar*)&sa.sin_addr.s_addr;
  snprintf(text, sizeof(text), "family %d %d.%d.%d.%d:%d%s%s", sa.sin_family, a[0], a[1],
           a[2], a[3], port, C.note[i][0] ? ", " : "", C.note[i]);
  strncpy(C.note[i], text, sizeof(C.note[i]) - 1);
  arg(ilen, 'l', lens[pick(r, NELEM(lens))], 0);
}

// ---------------------------------------------------------------- ELF images
// The image mkelf writes: one read+execute segment at address 0, whose code
// (from 0x100) is nothing but `li a7, SYS_exit; ecall` pairs, so whatever of
// it runs ends the process at once; then a variant breaks one thing.
static char elfimg[4096];
#define NELFVARIANTS 19

static void
putcode(char *at, int n)
{
  for(int i = 0; i + 8 <= n; i += 8){
    *(uint*)(at + i) = 0x00200893;       // addi a7, zero, SYS_exit
    *(uint*)(at + i + 4) = 0x00000073;   // ecall
  }
}

// The valid image, len bytes.
static void
goodelf(int len)
{
  struct elfhdr *eh = (struct elfhdr*)elfimg;
  struct proghdr *ph = (struct proghdr*)(elfimg + sizeof(*eh));

  memset(elfimg, 0, sizeof(elfimg));
  eh->magic = ELF_MAGIC;
  eh->elf[0] = 2;   // 64-bit
  eh->elf[1] = 1;   // little-endian
  eh->elf[2] = 1;
  eh->type = 2;     // executable
  eh->machine = 243;
  eh->version = 1;
  eh->entry = 0x100;
  eh->phoff = sizeof(*eh);
  eh->ehsize = sizeof(*eh);
  eh->phentsize = sizeof(*ph);
  eh->phnum = 1;
  ph->type = ELF_PROG_LOAD;
  ph->flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_EXEC;
  ph->filesz = len;
  ph->memsz = PGSIZE;
  ph->align = PGSIZE;
  putcode(elfimg + 0x100, len - 0x100);
}

// The image of variant v (0 valid, else one thing broken); its length.
static int
mkelf(struct rng *r, int v)
{
  static const ushort phnums[] = { 0, 65, 64, 0xffff };
  static const uint64 vaddrs[] = { 0x10, 0x7ffff000, -PGSIZE, MAXUVA - 3 * PGSIZE, 1UL << 38 };
  static const uint64 memszs[] = { 0x7fffffff, 1UL << 40, -PGSIZE, 16 << 20, 0 };
  static const uint64 offs[] = { 2, 4, 8, -16UL, 0x200, 1UL << 40 };
  static const uint64 entries[] = { 0x102, 0x1000, MAXUVA - PGSIZE, -1UL };
  static const uint64 seconds[] = { 0x200000, 0x40000000, 0x1000, 0 };
  struct elfhdr *eh = (struct elfhdr*)elfimg;
  struct proghdr *ph = (struct proghdr*)(elfimg + sizeof(*eh));
  int len = 0x200;

  goodelf(len);
  switch(v){
  case 1: len = pick(r, len); break;                                // truncated
  case 2: eh->magic ^= 1U << pick(r, 32); break;
  case 3: eh->elf[0] = 1; break;                                    // 32-bit
  case 4: eh->machine = pick(r, 2) ? 62 : 0; break;
  case 5: eh->phentsize = pick(r, 2) ? 32 : 0xffff; break;
  case 6: eh->phnum = phnums[pick(r, NELEM(phnums))]; break;
  case 7: eh->phoff = pick(r, 2) ? len - 8 : -8UL; break;
  case 8: ph->vaddr = vaddrs[pick(r, NELEM(vaddrs))]; break;
  case 9: ph->memsz = ph->filesz - 1; break;
  case 10: ph->memsz = memszs[pick(r, NELEM(memszs))]; break;
  case 11: ph->filesz = pick(r, 2) ? len + 1 : -256UL; break;
  case 12: ph->off = offs[pick(r, NELEM(offs))]; break;
  case 13: eh->entry = entries[pick(r, NELEM(entries))]; break;   // faults, most of them
  case 14: ph->type = pick(r, 2) ? 0 : 0x6474e551; break;          // nothing loadable
  case 15:                                                          // a second segment
    eh->phnum = 2;
    ph[1] = ph[0];
    ph[1].vaddr = seconds[pick(r, NELEM(seconds))];
    ph[1].filesz = pick(r, 2) ? 0 : len;
    break;
  case 16:                                                          // 64 segments
    eh->phnum = 64;
    len = PGSIZE;
    ph->filesz = len;
    eh->entry = 0xf00;
    for(int j = 1; j < 64; j++)
      ph[j] = ph[0];
    putcode(elfimg + 0xf00, 0x100);
    break;
  case 17:                                                          // bytes flipped
    for(int j = 1 + pick(r, 4); j > 0; j--){
      int at = pick(r, sizeof(*eh) + sizeof(*ph));
      if(at < 24 || at >= 32)   // not the entry: it must stay in the code
        elfimg[at] ^= 1 << pick(r, 8);
    }
    break;
  case 18: ph->flags = ELF_PROG_FLAG_READ; break;                   // not executable
  }
  return len;
}

// ---------------------------------------------------------------- blocking
// Would this call put the program to sleep for good? A read of a pipe that
// is empty while we hold its write end, a write of more than fits while we
// hold its read end, socket I/O with no timeout and no O_NONBLOCK. A child
// may block (the worker kills its children at the end); the worker makes such
// a call rarely, and then the supervisor's deadline ends the program.
static int
mayblock(int fd, int write, long n, int flags)
{
  if(fd < 0 || fd >= NFUZZFD)
    return 0;
  struct obj *o = objof(fd);
  int k = P.kind[fd], len = (int)n, inpipe = P.pipes[o->pipe % NELEM(P.pipes)];

  if(len < 0)
    return 0;   // refused at once
  if(k == K_PIPER && !write)
    return inpipe <= 0 && pipeend(o->pipe, K_PIPEW);
  if(k == K_PIPEW && write)
    return len > 0 && len > 2048 - inpipe && pipeend(o->pipe, K_PIPER);   // PIPESIZE, Kernel/pipe.c
  if(k < K_TCP || o->nonblock || (flags & MSG_DONTWAIT))
    return 0;
  if(write)
    return k == K_TCP && !o->sndok;
  return !o->rcvok;
}

// Go ahead with a call that may block? Always in a child, in 1 of 32 in a worker.
static int
blockok(struct rng *r, int blocks)
{
  return !blocks || P.child || chance(r, 32);
}

// ---------------------------------------------------------------- processes
static void
addkid(int pid)
{
  if(P.nkids < MAXKIDS)
    P.kids[P.nkids++] = pid;
}

static void
dropkid(int pid)
{
  for(int i = 0; i < P.nkids; i++){
    if(P.kids[i] == pid){
      P.kids[i] = P.kids[--P.nkids];
      P.dead[P.ndead++ % NELEM(P.dead)] = pid;
    }
  }
}

// A pid for kill or waitpid: only our own children (alive or reaped), pid 1
// (init: kill(1) must not take the machine down), 0, -1 and pids no process
// can have. Never anyone else.
static int
pidarg(struct rng *r, int i, int forkill)
{
  static const int odd[] = { 0, -1, -2, NOPID, -0x7fffffff - 1 };
  int roll = pick(r, 10), pid;
  const char *what = "";

  if(roll < 4 && P.nkids > 0){
    pid = P.kids[pick(r, P.nkids)];
    what = "child";
  } else if(roll < 5 && P.ndead > 0){
    pid = P.dead[pick(r, P.ndead < NELEM(P.dead) ? P.ndead : NELEM(P.dead))];
    what = "reaped child";
  } else if(roll < 6 && !(forkill && (opt.avoid & AV_KILL1))){
    pid = 1;
    what = "init";
  } else {
    pid = odd[pick(r, NELEM(odd))];
  }
  arg(i, 'd', (uint64)(long)pid, what);
  return pid;
}

// ---------------------------------------------------------------- generators
// One per call: fill C with its arguments. 0: not now (it could block the
// worker for good), and the step draws another call.
static int
g_none(struct rng *r)
{
  return 1;
}

static int
g_fork(struct rng *r)
{
  return P.nkids < MAXKIDS;
}

static int
g_wait(struct rng *r)
{
  outarg(r, 0, sizeof(int));
  return blockok(r, P.nkids > 0 && !chance(r, 4));
}

static int
g_waitpid(struct rng *r)
{
  static const int opts[] = { 0, WNOHANG, WNOHANG, 2, -1 };
  int pid = pidarg(r, 0, 0), o = opts[pick(r, NELEM(opts))];

  outarg(r, 1, sizeof(int));
  arg(2, 'd', o, o == WNOHANG ? "WNOHANG" : "");
  return blockok(r, o == 0 && P.nkids > 0 && (pid == -1 || (pid > 1 && pid != NOPID)));
}

static int
g_kill(struct rng *r)
{
  pidarg(r, 0, 1);
  return 1;
}

static int
g_pipe(struct rng *r)
{
  outarg(r, 0, 2 * sizeof(int));
  return 1;
}

static int
g_read(struct rng *r)
{
  int fd = fdarg(r, 0, M_OPEN);
  long n;

  outarg(r, 1, n = lenarg(r, 2));
  return blockok(r, mayblock(fd, 0, n, 0));
}

static int
g_write(struct rng *r)
{
  int fd = fdarg(r, 0, M_OPEN);
  long n = lenarg(r, 2);

  // a file must not grow past 14 MiB while known bug "bigtrunc" is open
  if((opt.avoid & AV_BIGTRUNC) && (int)n > 65536 && (fd < 0 || fd >= NFUZZFD ||
     !(M(P.kind[fd]) & (M_PIPE | M_SOCK))))
    arg(2, 'l', n = 65536, "capped");
  outarg(r, 1, n);
  return blockok(r, mayblock(fd, 1, n, 0));
}

static int
g_fdonly(struct rng *r)   // close, dup
{
  fdarg(r, 0, M_OPEN);
  return 1;
}

static int
g_fstat(struct rng *r)
{
  fdarg(r, 0, M(K_FILE) | M_PIPE | M_SOCK);
  outarg(r, 1, sizeof(struct stat));
  return 1;
}

static int
g_chdir(struct rng *r)
{
  patharg(r, 0, PA_DIR);
  return 1;
}

static int
g_unlink(struct rng *r)
{
  patharg(r, 0, PA_REMOVE);
  return 1;
}

static int
g_mkdir(struct rng *r)
{
  patharg(r, 0, PA_CREATE);
  return 1;
}

static int
g_link(struct rng *r)   // link, rename
{
  patharg(r, 0, PA_ANY);
  patharg(r, 1, PA_CREATE);
  return 1;
}

static int
g_open(struct rng *r)
{
  static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR, 3 };
  static const int extra[] = { 0, O_CREATE, O_CREATE, O_TRUNC, O_CREATE | O_TRUNC, O_NONBLOCK };
  uint64 f = modes[pick(r, NELEM(modes))] | extra[pick(r, NELEM(extra))];

  if(chance(r, 10))
    f = pick(r, 2) ? rnext(r) : -1;
  patharg(r, 0, (f & O_CREATE) ? PA_CREATE : PA_ANY);
  arg(1, 'x', f, 0);
  return 1;
}

// Never major 1 (CONSOLE) in the low 32 bits the kernel looks at: the
// console is not the fuzzer's to read or write.
static int
g_mknod(struct rng *r)
{
  static const uint64 majors[] = { 0, 2, 3, 9, 10, 11, -1, 32767, -32768, 0x10002,
                                   0x100000002UL, 0x7fffffff };
  static const uint64 minors[] = { 0, 1, 0x7fff, 0x8000, -1 };
  uint64 major = majors[pick(r, NELEM(majors))];

  if((int)major == CONSOLE)
    major = 0;
  patharg(r, 0, PA_CREATE);
  arg(1, 'd', major, 0);
  arg(2, 'd', minors[pick(r, NELEM(minors))], 0);
  return 1;
}

// sbrk(n, type): up and down, eagerly and lazily, and by amounts the kernel
// must refuse. A worker keeps its buffer and stays under EAGERMAX/LAZYMAX
// (its children copy what it has); a child may now and then give back more
// than it has, and die of it.
static int
g_sbrk(struct rng *r)
{
  static const long ups[] = { 1, 4095, 4096, 4097, 65536, 1 << 20 };
  static const long refused[] = { 0x7fffffff, -0x7fffffff - 1 };
  static const uint64 types[] = { 0, 3, -1, 0x100000001UL };
  uint64 t = pick(r, 8) ? 1 + pick(r, 2) : types[pick(r, NELEM(types))];
  int type = (int)t;
  long n, floor = P.base + HEAPBUF, room;

  switch(pick(r, 8)){
  case 0: case 1: case 2:
    n = ups[pick(r, NELEM(ups))];
    room = P.base + HEAPBUF + (type == 2 ? LAZYMAX : EAGERMAX) - P.end;
    if(n > room)
      n = room > 0 ? room : 0;
    break;
  case 3: case 4:
    n = -(long)pick(r, 3) * PGSIZE - pick(r, 2);
    if((long)P.end + n < floor)
      n = floor - (long)P.end;
    break;
  case 5:
    n = floor - (long)P.end;   // back to the buffer alone
    break;
  case 6:
    n = refused[pick(r, NELEM(refused))];
    break;
  default:
    n = 0;
  }
  if(P.child && chance(r, 16))
    n = -(long)P.end + PGSIZE * pick(r, 4);   // down into the program itself
  arg(0, 'l', n, 0);
  arg(1, 'd', t, type == 2 ? "lazy" : type == 1 ? "eager" : "");
  return 1;
}

static int
g_pause(struct rng *r)
{
  static const long ticks[] = { 0, 1, 2, 3, -1, -0x7fffffff - 1, 0x100000000L };

  arg(0, 'l', ticks[pick(r, NELEM(ticks))], 0);
  return 1;
}

static int
g_kstat(struct rng *r)
{
  arg(0, 'd', pick(r, 4) ? pick(r, 9) : rnext(r), 0);
  return 1;
}

// exec's path: the image mkelf wrote last, the valid one of the base tree, or
// any path of the tree (directories, devices, garbage).
static void
execpath(struct rng *r)
{
  if(P.elfpath[0] && chance(r, 2)){
    strcpy(argmem[0], P.elfpath);
    C.str[0] = argmem[0];
    arg(0, 's', (uint64)argmem[0], "image");
  } else if(chance(r, 3)){
    strcpy(argmem[0], P.root);
    strcpy(argmem[0] + strlen(argmem[0]), "/e");
    C.str[0] = argmem[0];
    arg(0, 's', (uint64)argmem[0], "");
  } else {
    patharg(r, 0, PA_ANY);
  }
}

// exec's argv: valid, NULL, bad, running into unmapped memory, too long, with
// a string longer than the page the kernel copies it into, or more than the
// new stack holds.
static void
argvarg(struct rng *r, int i)
{
  static const char *strs[] = { "x", "", "argument", "-v" };
  uint64 *av = (uint64*)argmem[i], p;
  const char *what = "";
  int k, roll = pick(r, 13);

  p = (uint64)av;
  switch(roll){
  case 6:
    p = 0;
    what = "NULL (program text)";
    break;
  case 7:
    p = badaddr(r, &what);
    break;
  case 8:   // no terminating 0 before the heap's end
    if(!heapok(64))
      break;
    p = P.end - 64;
    for(k = 0; k < 8; k++)
      ((uint64*)p)[k] = (uint64)strs[0];
    what = "unterminated at heap end";
    break;
  case 9:
    for(k = 0; k <= MAXARG; k++)
      av[k] = (uint64)strs[0];
    av[k] = 0;
    what = "MAXARG+1 strings";
    break;
  case 10:   // a string of 5000 bytes: more than the kernel's page for it
    if(!heapok(HEAPBUF))
      break;
    memset((void*)(P.base + 0x4000), 'a', 5000);
    ((char*)P.base)[0x4000 + 5000] = 0;
    av[0] = P.base + 0x4000;
    av[1] = 0;
    what = "a 5000-byte string";
    break;
  case 11:
    av[0] = badaddr(r, &what);
    av[1] = 0;
    break;
  case 12:   // more than the one page of stack holds
    memset(argmem[2], 'x', 300);
    argmem[2][300] = 0;
    for(k = 0; k < MAXARG - 1; k++)
      av[k] = (uint64)argmem[2];
    av[k] = 0;
    what = "31 strings of 300 bytes";
    break;
  default:
    k = pick(r, 4);
    for(int j = 0; j < k; j++)
      av[j] = (uint64)strs[pick(r, NELEM(strs))];
    av[k] = 0;
  }
  arg(i, 'p', p, what[0] ? what : "argv");
}

static int
g_exec(struct rng *r)
{
  execpath(r);
  argvarg(r, 1);
  return 1;
}

static int
g_execve(struct rng *r)   // the environment is built as argv is
{
  execpath(r);
  argvarg(r, 1);
  argvarg(r, 2);
  return 1;
}

// ---------------------------------------------------------------- socket calls
static int
g_socket(struct rng *r)
{
  static const uint64 domains[] = { 0, 1, 10, 17, -1, 0x100000002UL };
  static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_RAW };
  static const int flags[] = { 0, 0, 0, SOCK_NONBLOCK, SOCK_CLOEXEC, SOCK_NONBLOCK | SOCK_CLOEXEC };
  static const uint64 protos[] = { 0, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, 255, -1 };
  static const uint64 protos6[] = { 0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6, IPPROTO_ICMP };
  uint64 type = types[pick(r, NELEM(types))] | flags[pick(r, NELEM(flags))];

  if(opt.gen >= 6 && chance(r, 4)){   // AF_INET6: the protocols it takes, and one it does not
    arg(0, 'd', AF_INET6, 0);
    arg(1, 'x', type, 0);
    arg(2, 'd', protos6[pick(r, NELEM(protos6))], 0);
    return 1;
  }
  arg(0, 'd', pick(r, 8) ? AF_INET : domains[pick(r, NELEM(domains))], 0);
  if(chance(r, 8))
    type = pick(r, 2) ? pick(r, 16) : rnext(r);
  arg(1, 'x', type, 0);
  arg(2, 'd', protos[pick(r, NELEM(protos))], 0);
  return 1;
}

static int
g_bind(struct rng *r)
{
  fdarg(r, 0, M_SOCK);
  addrarg(r, 1, 2, 0);
  return 1;
}

static int
g_connect(struct rng *r)
{
  int fd = fdarg(r, 0, M_SOCK);

  addrarg(r, 1, 2, 1);
  return blockok(r, mayblock(fd, 1, 0, 0) && fd >= 0 && fd < NFUZZFD && P.kind[fd] == K_TCP);
}

static int
g_listen(struct rng *r)
{
  static const uint64 backlogs[] = { 0, 1, 5, 128, -1, 0x7fffffff };

  fdarg(r, 0, M(K_TCP) | M(K_LISTEN));
  arg(1, 'd', backlogs[pick(r, NELEM(backlogs))], 0);
  return 1;
}

static int
g_accept(struct rng *r)
{
  int fd = fdarg(r, 0, M(K_LISTEN) | M(K_TCP));

  if(chance(r, 3))
    arg(1, 'p', 0, "none");
  else
    outarg(r, 1, sizeof(struct sockaddr_in));
  lenptrarg(r, 2);
  return blockok(r, mayblock(fd, 0, 0, 0));
}

static const uint64 msgflags[] = { 0, 0, 0, MSG_DONTWAIT, MSG_PEEK, MSG_NOSIGNAL,
                                   MSG_PEEK | MSG_DONTWAIT, -1, 0x10000 };

static int
g_sendto(struct rng *r)
{
  int fd = fdarg(r, 0, M_SOCK);
  long n = lenarg(r, 2);
  uint64 f = msgflags[pick(r, NELEM(msgflags))];

  outarg(r, 1, n);
  arg(3, 'x', f, 0);
  if(chance(r, 2)){
    arg(4, 'p', 0, "none");
    arg(5, 'l', pick(r, 2) ? 0 : 16, 0);
  } else {
    addrarg(r, 4, 5, 1);
  }
  return blockok(r, mayblock(fd, 1, n, (int)f));
}

static int
g_recvfrom(struct rng *r)
{
  int fd = fdarg(r, 0, M_SOCK);
  long n = lenarg(r, 2);
  uint64 f = msgflags[pick(r, NELEM(msgflags))];

  outarg(r, 1, n);
  arg(3, 'x', f, 0);
  if(chance(r, 2))
    arg(4, 'p', 0, "none");
  else
    outarg(r, 4, sizeof(struct sockaddr_in));
  lenptrarg(r, 5);
  return blockok(r, mayblock(fd, 0, n, (int)f));
}

static int
g_shutdown(struct rng *r)
{
  static const uint64 hows[] = { SHUT_RD, SHUT_WR, SHUT_RDWR, 3, -1 };

  fdarg(r, 0, M_SOCK);
  arg(1, 'd', hows[pick(r, NELEM(hows))], 0);
  return 1;
}

static int
g_getname(struct rng *r)   // getsockname, getpeername
{
  fdarg(r, 0, M_SOCK);
  if(chance(r, 8))
    arg(1, 'p', 0, "none");
  else
    outarg(r, 1, sizeof(struct sockaddr_in));
  lenptrarg(r, 2);
  return 1;
}

// Options: every level and name the kernel knows, and others.
static const uint64 levels[] = { SOL_SOCKET, SOL_SOCKET, SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP,
                                 IPPROTO_UDP, -1, 0x100000001UL };
static const int sonames[] = { SO_REUSEADDR, SO_TYPE, SO_ERROR, SO_SNDBUF, SO_RCVBUF,
                               SO_KEEPALIVE, SO_RCVTIMEO, SO_SNDTIMEO, TCP_NODELAY, 0, 100 };

static void
optname(struct rng *r, int i)
{
  arg(i, 'd', chance(r, 10) ? rnext(r) : sonames[pick(r, NELEM(sonames))], 0);
}

static struct timeval opttv;   // the value setsockopt was given, for afterio()
static int optint, optlen;

static int
g_setsockopt(struct rng *r)
{
  static const long secs[] = { 0, 0, 1, 5, 1000, -1, 1L << 40, 0x7fffffffffffffffL };
  static const long usecs[] = { 20000, 20000, 0, 1, 999999, 1000000, -1 };
  static const int ints[] = { 0, 1, 1, 20, 50, 3000, -1, 0x7fffffff };
  static const int lens[] = { 4, 4, 4, 0, 3, 8, 100, -1 };

  fdarg(r, 0, M_SOCK);
  arg(1, 'd', levels[pick(r, NELEM(levels))], 0);
  optname(r, 2);
  if(chance(r, 2)){
    opttv.tv_sec = secs[pick(r, NELEM(secs))];
    opttv.tv_usec = usecs[pick(r, NELEM(usecs))];
    if((opt.avoid & AV_TIMEO) && (opttv.tv_sec < 0 || opttv.tv_sec > 1000000))
      opttv.tv_sec = 1;
    optlen = pick(r, 4) ? sizeof(opttv) : pick(r, 2) ? 15 : 64;
    inarg(r, 3, &opttv, sizeof(opttv), 0);
    snprintf(text, sizeof(text), "timeval %ld s %ld us%s%s", opttv.tv_sec, opttv.tv_usec,
             C.note[3][0] ? ", " : "", C.note[3]);
    strncpy(C.note[3], text, sizeof(C.note[3]) - 1);
  } else {
    optint = ints[pick(r, NELEM(ints))];
    optlen = lens[pick(r, NELEM(lens))];
    inarg(r, 3, &optint, sizeof(optint), 0);
    snprintf(text, sizeof(text), "int %d%s%s", optint, C.note[3][0] ? ", " : "", C.note[3]);
    strncpy(C.note[3], text, sizeof(C.note[3]) - 1);
  }
  arg(4, 'd', optlen, 0);
  return 1;
}

static int
g_getsockopt(struct rng *r)
{
  fdarg(r, 0, M_SOCK);
  arg(1, 'd', levels[pick(r, NELEM(levels))], 0);
  optname(r, 2);
  outarg(r, 3, sizeof(struct timeval));
  lenptrarg(r, 4);
  return 1;
}

static int
g_netinfo(struct rng *r)
{
  static const uint64 whats[] = { 0, 1, 2, 2, 3, 4, -1, 0x100000001UL };
  static const uint64 indexes[] = { 0, 1, 7, 31, 32, 1000, -1 };

  arg(0, 'd', whats[pick(r, NELEM(whats))], 0);
  outarg(r, 1, 256);
  arg(2, 'd', chance(r, 2) ? pick(r, 40) : indexes[pick(r, NELEM(indexes))], 0);
  return 1;
}

static int
g_fcntl(struct rng *r)
{
  static const uint64 cmds[] = { F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_SETFL, 0, 5, 1030, -1 };
  static const uint64 args[] = { O_NONBLOCK, O_NONBLOCK, 0, O_RDWR | O_NONBLOCK, 1, -1, -0x801 };

  fdarg(r, 0, M_OPEN);
  arg(1, 'd', cmds[pick(r, NELEM(cmds))], 0);
  arg(2, 'x', chance(r, 8) ? rnext(r) : args[pick(r, NELEM(args))], 0);
  return 1;
}

// ---------------------------------------------------------------- generation 2
// Offsets for lseek, pread and pwrite: in the file, past its end, at and past
// the file system's 32-bit limit, negative.
static const uint64 offsets[] = { 0, 1, 511, 512, 4096, 70000, 1 << 20, 0x7fffffff, 0x80000000UL,
                                  0xffffffffUL, 0x100000000UL, -1, -4096, 1UL << 62 };

static uint64
offsetarg(struct rng *r, int i)
{
  uint64 off = chance(r, 3) ? pick(r, 100000) : offsets[pick(r, NELEM(offsets))];

  arg(i, 'l', off, 0);
  return off;
}

// poll(fds, nfds, timeout): up to 64 entries of open, closed, negative and
// out-of-range descriptors with any events; counts past the limit; timeouts of
// none, a few ms, or for ever (which may block: the deadline ends it).
static int
g_poll(struct rng *r)
{
  static const uint64 counts[] = { 0, 1, 2, 8, 64, 65, 1000, -1, 0x100000001UL };
  static const short evs[] = { POLLIN, POLLOUT, POLLIN | POLLOUT, 0, -1,
                               POLLPRI | POLLRDNORM | POLLWRNORM, 0x7fff };
  struct pollfd fds[64];
  long n = chance(r, 4) ? (long)counts[pick(r, NELEM(counts))] : 1 + pick(r, 6);
  int built = n > 0 && n < 64 ? (int)n : 64, timeout;

  for(int k = 0; k < built; k++){
    fds[k].fd = chance(r, 8) ? -1 - pick(r, 3) : (int)fdchoose(r, M_OPEN);
    fds[k].events = evs[pick(r, NELEM(evs))];
    fds[k].revents = (short)rnext(r);
  }
  inarg(r, 0, fds, built * sizeof(struct pollfd), 1);
  arg(1, 'd', n, 0);
  timeout = chance(r, 2) ? 0 : chance(r, 8) ? -1 : pick(r, 30);
  arg(2, 'd', timeout, 0);
  return blockok(r, timeout < 0);
}

static int
g_clock(struct rng *r)
{
  static const uint64 ids[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC, 2, 4, -1,
                                0x100000000UL, 0x7fffffff };

  arg(0, 'd', ids[pick(r, NELEM(ids))], 0);
  outarg(r, 1, sizeof(struct timespec));
  return 1;
}

static int
g_lseek(struct rng *r)
{
  static const uint64 whences[] = { 0, 1, 2, 0, 2, 3, -1, 0x100000000UL };

  fdarg(r, 0, M(K_FILE) | M_PIPE | M_SOCK);
  offsetarg(r, 1);
  arg(2, 'd', whences[pick(r, NELEM(whences))], 0);
  return 1;
}

// dup3(fd, newfd, flags): never onto 14 and 15, the fuzzer's own.
static int
g_dup3(struct rng *r)
{
  static const uint64 bad[] = { NOFILE, NOFILE + 1, -1, 1000, 0x100000003UL };
  static const uint64 flags[] = { 0, 0, O_CLOEXEC, 1, -1, O_CLOEXEC | 1 };
  int fd = fdarg(r, 0, M_OPEN);
  uint64 nfd = chance(r, 6) ? bad[pick(r, NELEM(bad))] : chance(r, 8) ? (uint64)fd : pick(r, NFUZZFD);

  arg(1, 'd', nfd, 0);
  arg(2, 'x', flags[pick(r, NELEM(flags))], 0);
  return 1;
}

static int
g_pio(struct rng *r)   // pread, pwrite: files; pipes and sockets refuse (ESPIPE)
{
  fdarg(r, 0, M(K_FILE) | M_PIPE | M_SOCK);
  outarg(r, 1, lenarg(r, 2));
  offsetarg(r, 3);
  return 1;
}

static int
g_accept4(struct rng *r)
{
  static const uint64 flags[] = { 0, SOCK_NONBLOCK, SOCK_CLOEXEC, SOCK_NONBLOCK | SOCK_CLOEXEC,
                                  1, -1 };
  int fd = fdarg(r, 0, M(K_LISTEN) | M(K_TCP));
  uint64 f = flags[pick(r, NELEM(flags))];

  if(chance(r, 3))
    arg(1, 'p', 0, "none");
  else
    outarg(r, 1, sizeof(struct sockaddr_in));
  lenptrarg(r, 2);
  arg(3, 'x', f, 0);
  return blockok(r, !(f & SOCK_NONBLOCK) && mayblock(fd, 0, 0, 0));
}

// readv, writev: up to 40 pieces in the buffer, NULL, unmapped or kernel
// addresses, program text, ending at the heap's end; lengths small, huge,
// negative. A count above what was built reads past the array, which then
// ends at the heap's end, so the rest is unmapped (never the fuzzer's data).
static int
g_iov(struct rng *r)
{
  static const uint64 counts[] = { 0, 1, 2, 40, 1024, 1025, -1, 0x100000002UL };
  static const uint64 lens[] = { 0, 1, 7, 512, 4096, 65536, 0x7fffffff, 0x80000000UL, -1UL };
  struct iovec iov[40];
  const char *what;
  int write = C.nr == SYS_writev, fd = fdarg(r, 0, M_OPEN);
  long n = chance(r, 4) ? (long)counts[pick(r, NELEM(counts))] : 1 + pick(r, 4), total = 0;
  int built = n > 0 && n <= 40 ? (int)n : 40;
  uint64 len, base;

  for(int k = 0; k < built; k++){
    len = chance(r, 2) ? pick(r, 600) : lens[pick(r, NELEM(lens))];
    switch(pick(r, 10)){
    case 0: base = 0; break;
    case 1: base = badaddr(r, &what); break;
    case 2: base = P.end - (len <= HEAPBUF ? len : 1); break;
    case 3: base = (uint64)badaddr; break;   // program text
    default: base = P.base + pick(r, 4096);
    }
    iov[k] = (struct iovec){ (void*)base, len };
    total += len <= HEAPBUF ? len : HEAPBUF;
  }
  if(n > built && heapok(built * sizeof(struct iovec))){
    base = P.end - built * sizeof(struct iovec);
    memmove((void*)base, iov, built * sizeof(struct iovec));
    arg(1, 'p', base, "ends at heap end");
  } else {
    if(n > built)
      n = built;
    inarg(r, 1, iov, built * sizeof(struct iovec), 1);
  }
  arg(2, 'd', n, 0);
  return blockok(r, mayblock(fd, write, total, 0));
}

// ---------------------------------------------------------------- generation 3: signals
static void
on_fuzzsig(int sig)   // a handler that returns (through sigreturn)
{
  (void)sig;
}

static int
sigarg(struct rng *r, int i)
{
  static const uint64 odd[] = { 0, -1, NSIG, NSIG + 1, 64, 1000, 0x100000000UL + SIGUSR1 };
  uint64 sig = chance(r, 6) ? odd[pick(r, NELEM(odd))] : 1 + pick(r, NSIG - 1);

  arg(i, 'd', sig, 0);
  return (int)sig;
}

static uint64
maskarg(struct rng *r, int i)
{
  static const uint64 masks[] = { 0, SIGBIT(SIGUSR1), SIGBIT(SIGALRM) | SIGBIT(SIGCHLD),
                                  SIGBIT(SIGKILL) | SIGBIT(SIGSTOP), -1UL };
  uint64 m = chance(r, 3) ? rnext(r) : masks[pick(r, NELEM(masks))];

  if(chance(r, 6))
    arg(i, 'p', 0, "none");
  else
    inarg(r, i, &m, sizeof(m), 1);
  return m;
}

// sigaction(sig, act, old): handlers SIG_DFL, SIG_IGN, one of ours, random and
// kernel addresses; restorers ours, none or bad (a handler then returns into
// nothing and the program dies, as it should); any flags and masks.
static int
g_sigaction(struct rng *r)
{
  static const uint64 flags[] = { 0, SA_RESTART, SA_SIGINFO, SA_NODEFER | SA_RESETHAND,
                                  SA_NOCLDWAIT, 0x08000000, -1UL };
  struct ksigaction a;
  const char *what;

  sigarg(r, 0);
  switch(pick(r, 8)){
  case 0: a.handler = SIG_DFL; break;
  case 1: case 2: a.handler = SIG_IGN; break;
  case 3: a.handler = badaddr(r, &what); break;
  case 4: a.handler = rnext(r); break;
  default: a.handler = (uint64)on_fuzzsig;
  }
  a.flags = flags[pick(r, NELEM(flags))];
  a.restorer = chance(r, 6) ? (chance(r, 2) ? 0 : badaddr(r, &what)) : (uint64)sigreturn;
  a.mask = chance(r, 2) ? 0 : rnext(r);
  if(chance(r, 6))
    arg(1, 'p', 0, "none");
  else
    inarg(r, 1, &a, sizeof(a), 1);
  if(chance(r, 2))
    arg(2, 'p', 0, "none");
  else
    outarg(r, 2, sizeof(a));
  return 1;
}

static int
g_sigprocmask(struct rng *r)
{
  static const uint64 hows[] = { SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK, 3, -1 };

  arg(0, 'd', hows[pick(r, NELEM(hows))], 0);
  maskarg(r, 1);
  if(chance(r, 2))
    arg(2, 'p', 0, "none");
  else
    outarg(r, 2, sizeof(uint64));
  return 1;
}

// sigreturn without a frame: the process dies (SIGSEGV). Children only, or
// most programs would end at it.
static int
g_sigreturn(struct rng *r)
{
  (void)r;
  return P.child;
}

// sigsend(pid, sig): the program's children (stopped ones are killed at its
// end), reaped ones, init, odd pids, or itself with a signal that does not
// stop it.
static int
g_sigsend(struct rng *r)
{
  int sig;

  if(chance(r, 4)){
    arg(0, 'd', getpid(), "self");
    sig = sigarg(r, 1);
    if(sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
      arg(1, 'd', SIGUSR2, 0);
  } else {
    pidarg(r, 0, 1);
    sigarg(r, 1);
  }
  return 1;
}

static int
g_alarm(struct rng *r)
{
  static const uint64 secs[] = { 0, 0, 1, 2, 1000, 0x7fffffff, -1UL };

  arg(0, 'd', secs[pick(r, NELEM(secs))], 0);
  return 1;
}

// profile(op, buf, len): any op (start at any rate, stop, read, info, comms,
// discard, bad ones) with any buffer. A run left going, or samples left unread,
// hold 8 MiB: the supervisor discards them before it counts free pages (kstats).
static int
g_profile(struct rng *r)
{
  static const uint64 ops[] = { PROF_START, PROF_STOP, PROF_READ, PROF_READ, PROF_INFO, PROF_COMMS,
                                PROF_DISCARD, 0, 7, -1 };
  static const uint64 lens[] = { 0, 1, 99, 100, 1000, 10000, 10001, -1, 127, 128, 4096,
                                 0x100000000UL };
  long len = lens[pick(r, NELEM(lens))];

  arg(0, 'd', ops[pick(r, NELEM(ops))], 0);
  outarg(r, 1, len > 0 && len < 4096 ? len : 4096);
  arg(2, 'd', len, 0);
  return 1;
}

static int
g_sigpending(struct rng *r)
{
  outarg(r, 0, sizeof(uint64));
  return 1;
}

// sigsuspend(mask): waits until a handler runs, maybe never (the deadline ends it).
static int
g_sigsuspend(struct rng *r)
{
  maskarg(r, 0);
  return blockok(r, 1);
}

// getrandom(buf, len, flags): lengths around a page, the 32 MiB bound and
// beyond; the flags Linux knows, their forbidden pair and unknown bits.
// Blocking (flags without GRND_NONBLOCK) only waits for the seed.
static int
g_getrandom(struct rng *r)
{
  static const uint64 flags[] = { 0, GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE,
                                  GRND_NONBLOCK | GRND_RANDOM, GRND_RANDOM | GRND_INSECURE,
                                  8, 0x80000000UL, -1 };
  static const uint64 lens[] = { 0, 1, 63, 64, 65, 4095, 4096, 4097, 32 * 1024 * 1024,
                                 -1, 0x100000000UL };
  long len = lens[pick(r, NELEM(lens))];

  outarg(r, 0, len > 0 && len < 4097 ? len : 4097);
  arg(1, 'l', len, 0);
  arg(2, 'x', flags[pick(r, NELEM(flags))], 0);
  return 1;
}

// ---------------------------------------------------------------- pseudo-calls
// newsock(type, flags, port): socket + receive and send timeouts of 20 ms
// (so that the worker can use it without blocking for good) + maybe bind to
// one of the worker's ports + maybe listen.
static int
g_newsock(struct rng *r)
{
  static const int types[] = { SOCK_STREAM, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW };
  int type = types[pick(r, NELEM(types))], port = 0;

  if(chance(r, 4))
    type |= SOCK_NONBLOCK;
  if(chance(r, 2))
    port = ownport(r);
  arg(0, 'x', type, (type & 0xf) == SOCK_STREAM ? "tcp" :
                   (type & 0xf) == SOCK_DGRAM ? "udp" : "raw");
  arg(1, 'd', port, port ? "bind" : "");
  arg(2, 'd', port && (type & 0xf) == SOCK_STREAM && chance(r, 2), "listen");
  return 1;
}

static long
x_newsock(void)
{
  static const int protos[] = { 0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
  static struct timeval tv = { 0, 20000 };
  int type = C.a[0], base = type & 0xf, fd, k;
  struct sockaddr_in sa;

  fd = sys(SYS_socket, AF_INET, type, protos[base], 0, 0, 0);
  if(fd < 0 || fd >= NFUZZFD)
    return fd;
  k = base == SOCK_STREAM ? K_TCP : base == SOCK_DGRAM ? K_UDP : K_RAW;
  newfd(fd, k);
  objof(fd)->nonblock = (type & SOCK_NONBLOCK) != 0;
  objof(fd)->rcvok =
    sys(SYS_setsockopt, fd, SOL_SOCKET, SO_RCVTIMEO, (uint64)&tv, sizeof(tv), 0) == 0;
  objof(fd)->sndok =
    sys(SYS_setsockopt, fd, SOL_SOCKET, SO_SNDTIMEO, (uint64)&tv, sizeof(tv), 0) == 0;
  if(C.a[1]){
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(C.a[1]);
    sys(SYS_bind, fd, (uint64)&sa, sizeof(sa), 0, 0, 0);
  }
  if(C.a[2] && sys(SYS_listen, fd, 4, 0, 0, 0, 0) == 0)
    P.kind[fd] = K_LISTEN;
  return fd;
}

// mkfile(path, size): a file of size bytes, written from the heap buffer in
// pieces: small, just into the singly-indirect blocks, into the doubly-indirect.
static int
g_mkfile(struct rng *r)
{
  static const int sizes[] = { 0, 1, 100, 1024, 5000, NDIRECT * BSIZE + 1, 65536,
                               (NDIRECT + NINDIRECT) * BSIZE + 1000 };

  patharg(r, 0, PA_CREATE);
  arg(1, 'd', sizes[pick(r, NELEM(sizes))], 0);
  return heapok(HEAPBUF);
}

static long
writeout(uint64 path, uint64 data, int n)
{
  int fd = sys(SYS_open, path, O_CREATE | O_WRONLY | O_TRUNC, 0, 0, 0, 0);
  long w = 0, k;

  if(fd < 0)
    return fd;
  do {
    k = sys(SYS_write, fd, data, n - w < HEAPBUF ? n - w : HEAPBUF, 0, 0, 0);
  } while(k > 0 && (w += k) < n);
  sys(SYS_close, fd, 0, 0, 0, 0, 0);
  return k < 0 ? k : w;
}

// mkelf(path, variant): an image for exec (see mkelf()).
static int
g_mkelf(struct rng *r)
{
  int v = chance(r, 3) ? 0 : 1 + pick(r, NELFVARIANTS - 1);

  // the variants whose process faults print a kernel line each: fewer of them
  if((v == 13 || v == 14 || v == 18) && !chance(r, 3))
    v = 0;
  patharg(r, 0, PA_CREATE);
  arg(1, 'd', v, v == 0 ? "valid" : "damaged");
  arg(2, 'd', mkelf(r, v), "bytes");
  return 1;
}

// hog(pages): an eager sbrk of all free memory but that many pages (and some
// for page tables), so that the calls after it -- this program's and the
// other workers' -- meet a kernel out of memory. It ends with the program.
static int
g_hog(struct rng *r)
{
  static const int keeps[] = { 0, 2, 16, 64 };

  arg(0, 'd', keeps[pick(r, NELEM(keeps))], "pages left");
  return !P.child;
}

static long
x_hog(void)
{
  long free = sys(SYS_kstat, KSTAT_FREEPAGES, 0, 0, 0, 0, 0);
  long n = (free - (long)C.a[0] - free / 512 - 4) * PGSIZE;   // and the page tables
  long r;

  if(n <= 0 || n > 0x7fffffff)
    return -1;
  if((r = sys(SYS_sbrk, n, SBRK_EAGER, 0, 0, 0, 0)) != -1)
    P.end += n;
  return r;
}

// fdhog(kind): a child that opens 14 objects of one kind -- files (the same
// 14 for all of a worker's fdhogs), pipes, UDP or TCP sockets -- and holds them
// until the program's end kills it, so that the kernel's tables (files,
// in-memory inodes) and lwIP's pools of protocol blocks run out for everyone
// meanwhile. (Not a grandchild too: its pid could be lost if the child were
// killed before writing it down, and it would outlive the run.)
static int
g_fdhog(struct rng *r)
{
  static const char *kinds[] = { "files", "pipes", "udp", "tcp" };
  int k = pick(r, NELEM(kinds));

  arg(0, 'd', k, kinds[k]);
  return !P.child && P.nkids < MAXKIDS;
}

static void
fdhogchild(int kind)
{
  char name[8] = "/h00";
  int two[2];

  for(int fd = 0; fd < NFUZZFD; fd++)   // room for its own
    rawcall(SYS_close, fd, 0, 0, 0, 0, 0);
  for(int i = 0; i < NFUZZFD; i++){
    switch(kind){
    case 0:
      name[2] = '0' + i / 10;
      name[3] = '0' + i % 10;
      strcpy(text, P.root);
      strcpy(text + strlen(text), name);
      rawcall(SYS_open, (uint64)text, O_CREATE | O_RDWR, 0, 0, 0, 0);
      break;
    case 1:
      rawcall(SYS_pipe, (uint64)two, 0, 0, 0, 0, 0);
      break;
    default:
      rawcall(SYS_socket, AF_INET, kind == 2 ? SOCK_DGRAM : SOCK_STREAM, 0, 0, 0, 0);
    }
  }
  rawcall(SYS_pause, opt.deadline, 0, 0, 0, 0, 0);   // until killed, or long enough
  rawcall(SYS_exit, 0, 0, 0, 0, 0, 0);
}

static long
x_fdhog(void)
{
  int pid = rawcall(SYS_fork, 0, 0, 0, 0, 0, 0);

  if(pid == 0)
    fdhogchild(C.a[0]);
  if(pid > 0){
    addkid(pid);
    recordpid('P', pid);
  }
  return pid;
}

static long
x_mkelf(void)
{
  long w = writeout(C.a[0], (uint64)elfimg, C.a[2]);

  if(w >= 0 && C.str[0] && strlen(C.str[0]) < MAXPATH)
    strcpy(P.elfpath, C.str[0]);
  return w;
}

// ---------------------------------------------------------------- the calls
struct sysent {
  int nr;
  const char *name;
  int weight;               // how often, relative to the others
  int (*gen)(struct rng*);
  int since;                // the table generation that added it (0: the first)
};

static const struct sysent calls[] = {
  { SYS_fork, "fork", 2, g_fork },
  { SYS_wait, "wait", 1, g_wait },
  { SYS_waitpid, "waitpid", 2, g_waitpid },
  { SYS_kill, "kill", 2, g_kill },
  { SYS_exec, "exec", 2, g_exec },
  { SYS_pipe, "pipe", 3, g_pipe },
  { SYS_read, "read", 8, g_read },
  { SYS_write, "write", 8, g_write },
  { SYS_close, "close", 5, g_fdonly },
  { SYS_dup, "dup", 3, g_fdonly },
  { SYS_fstat, "fstat", 3, g_fstat },
  { SYS_chdir, "chdir", 2, g_chdir },
  { SYS_open, "open", 7, g_open },
  { SYS_mknod, "mknod", 1, g_mknod },
  { SYS_unlink, "unlink", 4, g_unlink },
  { SYS_link, "link", 2, g_link },
  { SYS_mkdir, "mkdir", 3, g_mkdir },
#ifdef SYS_rename
  { SYS_rename, "rename", 2, g_link },
#endif
  { SYS_getpid, "getpid", 1, g_none },
  { SYS_sbrk, "sbrk", 2, g_sbrk },
  { SYS_pause, "pause", 1, g_pause },
  { SYS_uptime, "uptime", 1, g_none },
  { SYS_kstat, "kstat", 1, g_kstat },
  { SYS_socket, "socket", 3, g_socket },
  { SYS_bind, "bind", 3, g_bind },
  { SYS_listen, "listen", 2, g_listen },
  { SYS_accept, "accept", 2, g_accept },
  { SYS_connect, "connect", 2, g_connect },
  { SYS_sendto, "sendto", 3, g_sendto },
  { SYS_recvfrom, "recvfrom", 3, g_recvfrom },
  { SYS_shutdown, "shutdown", 1, g_shutdown },
  { SYS_getsockname, "getsockname", 1, g_getname },
  { SYS_getpeername, "getpeername", 1, g_getname },
  { SYS_setsockopt, "setsockopt", 3, g_setsockopt },
  { SYS_getsockopt, "getsockopt", 2, g_getsockopt },
  { SYS_netinfo, "netinfo", 1, g_netinfo },
  { SYS_fcntl, "fcntl", 2, g_fcntl },
  { PS_NEWSOCK, "newsock", 4, g_newsock },
  { PS_MKFILE, "mkfile", 2, g_mkfile },
  { PS_MKELF, "mkelf", 3, g_mkelf },
  { PS_HOG, "hog", 1, g_hog },
  { PS_FDHOG, "fdhog", 2, g_fdhog },
  { SYS_poll, "poll", 3, g_poll, 2 },
  { SYS_clock_gettime, "clock_gettime", 1, g_clock, 2 },
  { SYS_lseek, "lseek", 2, g_lseek, 2 },
  { SYS_dup3, "dup3", 2, g_dup3, 2 },
  { SYS_pread, "pread", 2, g_pio, 2 },
  { SYS_pwrite, "pwrite", 2, g_pio, 2 },
  { SYS_accept4, "accept4", 2, g_accept4, 2 },
  { SYS_readv, "readv", 3, g_iov, 2 },
  { SYS_writev, "writev", 3, g_iov, 2 },
  { SYS_sigaction, "sigaction", 3, g_sigaction, 3 },
  { SYS_sigprocmask, "sigprocmask", 2, g_sigprocmask, 3 },
  { SYS_sigreturn, "sigreturn", 1, g_sigreturn, 3 },
  { SYS_sigsend, "sigsend", 2, g_sigsend, 3 },
  { SYS_alarm, "alarm", 1, g_alarm, 3 },
  { SYS_sigpending, "sigpending", 1, g_sigpending, 3 },
  { SYS_sigsuspend, "sigsuspend", 1, g_sigsuspend, 3 },
  { SYS_getppid, "getppid", 1, g_none, 3 },
  { SYS_execve, "execve", 2, g_execve, 3 },
  { SYS_profile, "profile", 1, g_profile, 4 },
  { SYS_getrandom, "getrandom", 1, g_getrandom, 5 },
};

// Is this entry in the table of generation opt.gen? A child does not fork
// (its children would outlive the worker's reaping).
static int
drawable(const struct sysent *e)
{
  return e->since <= opt.gen && !(P.child && e->nr == SYS_fork);
}

static const char*
callname(int nr)
{
  if(nr == SYS_exit)
    return "exit";
  if(nr == STAT_GETRANDOM)
    nr = SYS_getrandom;
  for(int i = 0; i < NELEM(calls); i++)
    if(calls[i].nr == nr)
      return calls[i].name;
  return "?";
}

// A call by weight, from the entries drawable() allows.
static const struct sysent*
choose(struct rng *r)
{
  int total = 0, w;

  for(int i = 0; i < NELEM(calls); i++)
    total += drawable(&calls[i]) ? calls[i].weight : 0;
  w = pick(r, total);
  for(int i = 0; i < NELEM(calls); i++){
    if(!drawable(&calls[i]))
      continue;
    if((w -= calls[i].weight) < 0)
      return &calls[i];
  }
  return &calls[0];
}

// ---------------------------------------------------------------- -v output
static char line[600];
static int linelen;

static void
lput(const char *s)
{
  while(*s && linelen < sizeof(line) - 2)
    line[linelen++] = *s++;
}

static void
lputs(const char *s, int max)   // a string argument, quoted and escaped
{
  char b[8];
  int n = 0;

  lput("\"");
  for(; *s && n < max; s++, n++){
    if(*s >= ' ' && *s < 127 && *s != '"' && *s != '\\'){
      b[0] = *s;
      b[1] = 0;
    } else {
      snprintf(b, sizeof(b), "\\x%x", (uchar)*s);
    }
    lput(b);
  }
  lput("\"");
  if(*s){
    snprintf(b, sizeof(b), "+%d", strlen(s));
    lput(b);
  }
}

static void
showarg(int i)
{
  char b[40];
  uint64 v = C.a[i];

  switch(C.sig[i]){
  case 'd':
    if((long)(int)v == (long)v)
      snprintf(b, sizeof(b), "%d", (int)v);
    else
      snprintf(b, sizeof(b), "0x%lx", v);
    break;
  case 'l':
    snprintf(b, sizeof(b), "%ld", (long)v);
    break;
  case 's':
    if(C.str[i]){
      lputs(C.str[i], 48);
      b[0] = 0;
      break;
    }
    // fall through
  default:
    snprintf(b, sizeof(b), "0x%lx", v);
  }
  lput(b);
  if(C.note[i][0]){
    lput(" [");
    lput(C.note[i]);
    lput("]");
  }
}

// "w0 #5 read(3 [pipe-r], 0x1c000 [buf], 512)" before the call, so that the
// line is out even if the call brings the kernel down.
static void
showcall(int idx)
{
  char b[48];

  if(!opt.verbose)
    return;
  linelen = 0;
  snprintf(b, sizeof(b), "%s #%d %s(", P.who, idx, C.name);
  lput(b);
  for(int i = 0; i < C.nargs; i++){
    if(i)
      lput(", ");
    showarg(i);
  }
  lput(")\n");
  write(FD_LOG, line, linelen);
}

static const struct { int e; const char *name; } errnames[] = {
  { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" }, { EIO, "EIO" },
  { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
  { EFAULT, "EFAULT" }, { EEXIST, "EEXIST" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
  { EMFILE, "EMFILE" }, { ENOSPC, "ENOSPC" }, { EPIPE, "EPIPE" }, { ENOSYS, "ENOSYS" },
  { ENOTSOCK, "ENOTSOCK" }, { EDESTADDRREQ, "EDESTADDRREQ" }, { EMSGSIZE, "EMSGSIZE" },
  { EPROTOTYPE, "EPROTOTYPE" }, { ENOPROTOOPT, "ENOPROTOOPT" },
  { EPROTONOSUPPORT, "EPROTONOSUPPORT" }, { EOPNOTSUPP, "EOPNOTSUPP" },
  { EAFNOSUPPORT, "EAFNOSUPPORT" }, { EADDRINUSE, "EADDRINUSE" },
  { EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { ENETUNREACH, "ENETUNREACH" },
  { ECONNABORTED, "ECONNABORTED" }, { ECONNRESET, "ECONNRESET" }, { ENOBUFS, "ENOBUFS" },
  { EISCONN, "EISCONN" }, { ENOTCONN, "ENOTCONN" }, { ETIMEDOUT, "ETIMEDOUT" },
  { ECONNREFUSED, "ECONNREFUSED" }, { EHOSTUNREACH, "EHOSTUNREACH" },
  { EALREADY, "EALREADY" }, { EINPROGRESS, "EINPROGRESS" },
};

// How a result class reads: "0", ">0", "-1" for xv6's calls, "-EINVAL" for
// the socket calls (which return -errno).
static void
classname(int nr, int c, char *b, int n)
{
  if(c == 0 || c == 1){
    strcpy(b, c ? ">0" : "0");
    return;
  }
  if(nr < SYS_socket || nr == SYS_exec || nr == SYS_execve){
    snprintf(b, n, "%d", 1 - c);
    return;
  }
  for(int i = 0; i < NELEM(errnames); i++){
    if(errnames[i].e == c - 1){
      snprintf(b, n, "-%s", errnames[i].name);
      return;
    }
  }
  snprintf(b, n, "-%d", c - 1);
}

static void
showresult(int idx, long r)
{
  char b[64], c[24];

  if(!opt.verbose)
    return;
  classname(C.nr < 64 ? C.nr : C.nr == PS_NEWSOCK ? SYS_socket : SYS_open, class(r), c,
            sizeof(c));
  if(r < 0 && c[0] == '-' && c[1] >= 'A')
    snprintf(b, sizeof(b), "%s #%d = %ld %s\n", P.who, idx, r, c + 1);
  else
    snprintf(b, sizeof(b), "%s #%d = %ld\n", P.who, idx, r);
  write(FD_LOG, b, strlen(b));
}

// ---------------------------------------------------------------- running a call
static void runchild(int idx);

// exec in a child of its own, so that an image that loads ends that child
// and not the program (a child of the worker execs directly). -1: refused;
// 0: the image ran and exited; -2: it ran and was killed (it faulted).
static long
x_exec(void)
{
  int pid, st = 0;
  long r;

  if(P.child){
    flushstats();
    r = rawcall(C.nr, C.a[0], C.a[1], C.a[2], 0, 0, 0);   // back only if refused
    record(C.nr, r);
    return r;
  }
  if((pid = rawcall(SYS_fork, 0, 0, 0, 0, 0, 0)) == 0){
    rawcall(C.nr, C.a[0], C.a[1], C.a[2], 0, 0, 0);
    rawcall(SYS_exit, EXECFAIL, 0, 0, 0, 0, 0);
  }
  if(pid < 0)
    return -3;   // no process to try it in
  recordpid('P', pid);
  rawcall(SYS_waitpid, pid, (uint64)&st, 0, 0, 0, 0);
  r = st == EXECFAIL ? -1 : st == -1 ? -2 : 0;
  record(C.nr, r);
  return r;
}

static long
execute(int idx)
{
  long r;

  switch(C.nr){
  case SYS_fork:
    flushstats();   // the child starts counting from nothing
    r = sys(SYS_fork, 0, 0, 0, 0, 0, 0);
    if(r == 0)
      runchild(idx);
    if(r > 0){
      addkid(r);
      recordpid('P', r);
    }
    return r;
  case SYS_exec: case SYS_execve:
    return x_exec();
  case PS_NEWSOCK:
    return x_newsock();
  case PS_MKFILE:
    return writeout(C.a[0], P.base, C.a[1]);
  case PS_MKELF:
    return x_mkelf();
  case PS_HOG:
    return x_hog();
  case PS_FDHOG:
    return x_fdhog();
  }
  return sys(C.nr, C.a[0], C.a[1], C.a[2], C.a[3], C.a[4], C.a[5]);
}

static int
fdok(int fd)
{
  return fd >= 0 && fd < NFUZZFD;
}

// What a call's result tells about the process's descriptors.
static void
afterfd(long r)
{
  int fd = (int)C.a[0], k, *two;

  switch(C.nr){
  case SYS_open:
    if(r >= 0)
      newfd(r, K_FILE);
    break;
  case SYS_dup: case SYS_dup3:
    if(fdok(r) && fdok(fd)){
      P.kind[r] = P.kind[fd];
      P.obj[r] = P.obj[fd];
    }
    break;
  case SYS_socket:
    k = (int)C.a[1] & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if(fdok(r)){
      newfd(r, k == SOCK_STREAM ? K_TCP : k == SOCK_DGRAM ? K_UDP : K_RAW);
      objof(r)->nonblock = ((int)C.a[1] & SOCK_NONBLOCK) != 0;
    }
    break;
  case SYS_accept: case SYS_accept4:
    if(r >= 0)
      newfd(r, K_TCP);
    if(fdok(r) && C.nr == SYS_accept4)
      objof(r)->nonblock = ((int)C.a[3] & SOCK_NONBLOCK) != 0;
    break;
  case SYS_pipe:
    if(r == 0){
      two = (int*)C.a[0];   // the kernel wrote it: ours, and readable
      k = P.npipes++;
      P.pipes[k % NELEM(P.pipes)] = 0;
      newfd(two[0], K_PIPER);
      if(fdok(two[0]))
        objof(two[0])->pipe = k;
      newfd(two[1], K_PIPEW);
      if(fdok(two[1]))
        objof(two[1])->pipe = k;
    }
    break;
  case SYS_close:
    if(r == 0 && fdok(fd))
      P.kind[fd] = K_STALE;
    break;
  case SYS_listen:
    for(k = 0; r == 0 && fdok(fd) && k < NFUZZFD; k++)
      if(P.kind[k] == K_TCP && P.obj[k] == P.obj[fd])
        P.kind[k] = K_LISTEN;
    break;
  }
}

// ... about what is in its pipes and how its sockets and files block.
static void
afterio(long r)
{
  int fd = (int)C.a[0];
  long ms;

  if(!fdok(fd))
    return;
  switch(C.nr){
  case SYS_read: case SYS_recvfrom: case SYS_readv:
    if(r > 0 && P.kind[fd] == K_PIPER)
      P.pipes[objof(fd)->pipe % NELEM(P.pipes)] -= r;
    break;
  case SYS_write: case SYS_writev:
    if(r > 0 && P.kind[fd] == K_PIPEW)
      P.pipes[objof(fd)->pipe % NELEM(P.pipes)] += r;
    break;
  case SYS_fcntl:
    if(r == 0 && (int)C.a[1] == F_SETFL)
      objof(fd)->nonblock = ((int)C.a[2] & O_NONBLOCK) != 0;
    break;
  case SYS_setsockopt:
    if(r != 0 || (int)C.a[1] != SOL_SOCKET)
      break;
    ms = optlen >= sizeof(opttv) ? opttv.tv_sec * 1000 + opttv.tv_usec / 1000 : optint;
    if((int)C.a[2] == SO_RCVTIMEO)
      objof(fd)->rcvok = ms > 0 && ms <= 2000;
    if((int)C.a[2] == SO_SNDTIMEO)
      objof(fd)->sndok = ms > 0 && ms <= 2000;
    break;
  }
}

// ... about its cwd and the paths it made or removed.
static void
afterpath(long r)
{
  if(r < 0)
    return;
  switch(C.nr){
  case SYS_chdir:
    if(C.str[0] && abspath(C.str[0], text, sizeof(P.cwd))){
      if(strcmp(text, P.cwd) != 0)
        P.cwdgone = 0;
      strcpy(P.cwd, text);
      P.cwddepth = depthof(P.cwd);
    } else {
      P.cwd[0] = 0;   // somewhere in the tree: only absolute paths from now on
      P.cwddepth = -1;
    }
    break;
  case SYS_open:
    if(C.a[1] & O_CREATE)
      addknown(C.str[0], 0);
    break;
  case SYS_mkdir:
    addknown(C.str[0], 1);
    break;
  case SYS_mknod: case PS_MKFILE: case PS_MKELF:
    addknown(C.str[0], 0);
    break;
  case SYS_link:
    addknown(C.str[1], 0);
    break;
  case SYS_unlink:
    dropknown(C.str[0]);
    if(C.str[0] && abspath(C.str[0], text, sizeof(P.cwd)) && abovecwd(text))
      P.cwdgone = 1;
    break;
#ifdef SYS_rename
  case SYS_rename:
    // the cwd may have moved: where it is now is not worked out, and paths
    // from it stop, so that ".." cannot climb out of the tree
    if(!C.str[0] || !abspath(C.str[0], text, sizeof(P.cwd)) || abovecwd(text)){
      P.cwd[0] = 0;
      P.cwddepth = -1;
    }
    dropknown(C.str[0]);
    addknown(C.str[1], 0);
    break;
#endif
  }
}

// ... about its memory and its children.
static void
afterproc(long r)
{
  switch(C.nr){
  case SYS_sbrk:
    if(r != -1){
      P.end += (int)C.a[0];
      if((int)C.a[1] == SBRK_LAZY && (int)C.a[0] > 0)
        P.lazy = r;
      if(P.lazy >= P.end)
        P.lazy = 0;
    }
    break;
  case SYS_wait: case SYS_waitpid:
    if(r > 0)
      dropkid(r);
    break;
  }
}

// Step idx of the program whose calls come from seed base.
static void
onestep(uint64 base, int idx)
{
  struct rng r = { mix(base, idx + 1) };
  const struct sysent *e;
  int tries;
  long res;

  for(tries = 0; tries < 8; tries++){
    memset(&C, 0, sizeof(C));
    e = choose(&r);
    C.nr = e->nr;
    C.name = e->name;
    if(e->gen(&r))
      break;
  }
  if(tries == 8){
    memset(&C, 0, sizeof(C));
    C.nr = SYS_getpid;
    C.name = "getpid";
  }
  showcall(idx);
  res = execute(idx);
  showresult(idx, res);
  afterfd(res);
  afterio(res);
  afterpath(res);
  afterproc(res);
  if(unflushed >= FLUSHEVERY)
    flushstats();
}

// A fuzzed fork's child: a few calls of its own, then exit. Its calls come
// from (program seed, idx), so the same step always makes the same child.
static void
runchild(int idx)
{
  static const int statuses[] = { 0, 1, -1, 255, 256, -0x7fffffff - 1 };
  uint64 seed = mix(P.seed, 0xc41d0000UL + idx);
  struct rng r = { seed };
  char parent[16];
  int n, status;

  memset(ncalls, 0, sizeof(ncalls));
  memset(seen, 0, sizeof(seen));
  unflushed = 0;
  record(SYS_fork, 0);
  P.child = 1;
  P.nkids = P.ndead = 0;
  strcpy(parent, P.who);
  snprintf(P.who, sizeof(P.who), "%s.%d", parent, idx);
  n = 1 + pick(&r, KIDCALLS);
  for(int k = 0; k < n; k++)
    onestep(seed, k);
  status = statuses[pick(&r, NELEM(statuses))];
  memset(&C, 0, sizeof(C));
  C.nr = SYS_exit;
  C.name = "exit";
  arg(0, 'd', status, 0);
  showcall(n);
  record(SYS_exit, 0);
  flushstats();
  rawcall(SYS_exit, status, 0, 0, 0, 0, 0);
}

// ---------------------------------------------------------------- a worker
// Move fd to descriptor want (xv6 has no dup2): dup it until want comes up,
// then close the copies on the way and fd itself.
static int
placefd(int fd, int want)
{
  int got[NOFILE], n = 0, d;

  if(fd < 0)
    return -1;
  if(fd == want)
    return 0;
  while((d = dup(fd)) >= 0 && d < want)
    got[n++] = d;
  while(n > 0)
    close(got[--n]);
  if(d > want)
    close(d);
  close(fd);
  return d == want ? 0 : -1;
}

// Remove everything below dir (made if missing) and leave the cwd there.
// Iterative, as a program can make a tree deeper than the 4 KiB stack could
// recurse into: unlink what unlinks; step into a directory that does not (it
// is not empty); back up a level when one is done.
static struct dirent de;

static int
emptytree(const char *dir)
{
  char name[DIRSIZ + 1];
  int depth = 0, fd, down;

  if(chdir(dir) < 0 && (mkdir(dir) < 0 || chdir(dir) < 0))
    return -1;
  for(int rounds = 0; rounds < 4000; rounds++){
    if((fd = open(".", O_RDONLY)) < 0)
      return -1;
    down = 0;
    while(!down && read(fd, &de, sizeof(de)) == sizeof(de)){
      if(de.inum == 0)
        continue;
      memmove(name, de.name, DIRSIZ);
      name[DIRSIZ] = 0;
      if(strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || unlink(name) == 0)
        continue;
      down = chdir(name) == 0;
    }
    close(fd);
    if(down){
      depth++;
    } else {
      if(depth == 0)
        return 0;
      if(chdir("..") < 0)
        return -1;
      depth--;
    }
  }
  return -1;
}

static void
putfile(const char *path, const void *data, int n)
{
  int fd = open(path, O_CREATE | O_WRONLY | O_TRUNC);

  if(fd >= 0){
    write(fd, data, n);
    close(fd);
  }
}

// The tree every program starts from: a/ a/c/ b e (a valid image) f; a has
// one directory in it, so that a cwd in a/c and both its directories can go.
static void
basetree(void)
{
  struct rng r = { 0 };

  mkdir("a");
  mkdir("a/c");
  putfile("b", (void*)P.base, 100);
  putfile("f", (void*)P.base, 3000);
  putfile("e", elfimg, mkelf(&r, 0));
}

// A start that depends on nothing but the slot: descriptor 15 the stats file
// and 14 too (with -v the console), the heap buffer filled with a pattern,
// the tree emptied and rebuilt, the cwd its root, 0-2 a scratch file there.
static int
setup(void)
{
  char path[24];
  uint64 p;

  snprintf(path, sizeof(path), "/sf/s%d", P.slot);
  if(placefd(open(path, O_CREATE | O_WRONLY | O_TRUNC), FD_STATS) < 0 ||
     placefd(dup(opt.verbose ? 1 : FD_STATS), FD_LOG) < 0)
    return -1;
  if((p = (uint64)sbrk(HEAPBUF)) == -1UL)
    return -1;
  P.base = p;
  P.end = p + HEAPBUF;
  for(int i = 0; i < HEAPBUF; i++)
    ((char*)p)[i] = 'a' + i % 26;
  if(emptytree(P.root) < 0)
    return -1;
  basetree();
  close(0);
  close(1);
  close(2);
  if(open("io", O_CREATE | O_RDWR) != 0 || dup(0) != 1 || dup(0) != 2)
    return -1;
  for(int fd = 0; fd < NOFILE; fd++)
    P.kind[fd] = fd < 3 ? K_FILE : K_FREE;
  strcpy(P.cwd, P.root);
  P.nknown = 0;
  addknown("a", 1);
  addknown("b", 0);
  addknown("a/c", 1);
  addknown("e", 0);
  addknown("f", 0);
  return 0;
}

// End of a program: its children are killed and reaped, the last counts
// written, exit. With -a killrace the kill is repeated, in case one is lost;
// else a child still alive after 3 s is left to the supervisor, which reports
// it if it lives on.
static void
finish(void)
{
  long pid;

  for(int t = 0; t < 300 && P.nkids > 0; t++){
    if(t == 0 || (t % 10 == 0 && (opt.avoid & AV_KILLRACE)))
      for(int i = 0; i < P.nkids; i++)
        rawcall(SYS_kill, P.kids[i], 0, 0, 0, 0, 0);
    while((pid = rawcall(SYS_waitpid, -1, 0, WNOHANG, 0, 0, 0)) > 0)
      dropkid(pid);
    if(pid < 0)
      P.nkids = 0;   // none left after all
    else
      rawcall(SYS_pause, 1, 0, 0, 0, 0, 0);
  }
  for(int i = 0; i < P.nkids; i++)
    recordpid('K', P.kids[i]);
  flushstats();
  rawcall(SYS_exit, 0, 0, 0, 0, 0, 0);
}

static void
worker(int slot, uint64 seed)
{
  int here;

  P.slot = slot;
  P.seed = seed;
  snprintf(P.who, sizeof(P.who), "w%d", slot);
  snprintf(P.root, sizeof(P.root), "/sf/w%d", slot);
  if(setup() < 0)
    rawcall(SYS_exit, 2, 0, 0, 0, 0, 0);
  P.guard = PGROUNDDOWN((uint64)&here) - PGSIZE;
  // a write with no reader left is an error to record, not the program's end
  // (generation 3's sigaction may give SIGPIPE its default back)
  signal(SIGPIPE, (sighandler_t)SIG_IGN);
  for(int i = 0; i < opt.ncalls; i++)
    if(!opt.hassubset || (opt.subset[i / 8] & (1 << (i % 8))))
      onestep(seed, i);
  finish();
}

// ---------------------------------------------------------------- the supervisor
#define HANGTICKS  opt.hang   // killed and still alive this long: a hang (-H)

static struct {
  int pid;                // program running in the slot, 0 if none
  uint64 seed;
  int nprog;              // programs started in the slot
  uint start, ended;      // ticks
  uint firstkill, lastkill;
  int hung;
} slots[MAXSLOT];

static struct {
  int pid, slot, hung;
  int strict;             // its program killed it and saw it live on ('K')
  uint killed;            // when it was first killed; 0: not yet
  uint probed;            // when kill last looked whether it is still there
} orphans[256];           // children of ended programs, killed until gone
static int norphans;

static uint64 totals[64];                  // calls per system call
static uchar allseen[64][NPAIRBITS / 8];  // (call, class) pairs seen
static long totalcalls;
static int nprogs, nstopped, nhung, nfailed;
static uchar rbuf[32768];

// A child of a program of slot w; killed: its program killed it at exit.
static void
addorphan(int pid, int w, uint killed)
{
  int i;

  for(i = 0; i < norphans && orphans[i].pid != pid; i++)
    ;
  if(i == NELEM(orphans) || pid <= 1)
    return;
  if(i == norphans){
    norphans++;
    orphans[i].killed = orphans[i].strict = 0;
  }
  orphans[i].pid = pid;
  orphans[i].slot = w;
  orphans[i].hung = 0;
  if(killed)
    orphans[i].killed = orphans[i].probed = killed;
  orphans[i].strict |= killed != 0;
}

// Fold the records of slot w's stats file into the totals.
static void
parsestats(int n, int w, uint now)
{
  int p = 0, pid, nsys, npairs, len, q, v;

  while(p + 4 <= n){
    if((rbuf[p] == 'P' || rbuf[p] == 'K') && p + 8 <= n){
      memmove(&pid, rbuf + p + 4, sizeof(pid));
      addorphan(pid, w, rbuf[p] == 'K' ? now : 0);
      p += 8;
      continue;
    }
    nsys = rbuf[p + 1];
    npairs = rbuf[p + 2] | rbuf[p + 3] << 8;
    len = 4 + 4 * nsys + 2 * npairs;
    if(rbuf[p] != 'S' || p + len > n)
      break;
    for(q = p + 4; q < p + 4 + 4 * nsys; q += 4){
      v = rbuf[q + 2] | rbuf[q + 3] << 8;
      totals[rbuf[q] % 64] += v;
      totalcalls += v;
    }
    for(; q < p + len; q += 2){
      v = rbuf[q] | rbuf[q + 1] << 8;
      allseen[(v >> 7) % 64][(v & 127) / 8] |= 1 << (v & 7);
    }
    p += len;
  }
}

static void
readstats(int w, uint now)
{
  char path[24];
  int fd, n = 0, m;

  snprintf(path, sizeof(path), "/sf/s%d", w);
  if((fd = open(path, O_RDONLY)) < 0)
    return;
  while(n < sizeof(rbuf) && (m = read(fd, rbuf + n, sizeof(rbuf) - n)) > 0)
    n += m;
  close(fd);
  unlink(path);
  parsestats(n, w, now);
}

// Kill the orphans; forget those that are gone (kill fails once the process
// has been reaped: pids are never reused). A kill must work the first time,
// so a child its program killed and saw live on is not killed again (that
// would rescue one the first kill missed) until HANGTICKS have passed: if it
// is still there then, it hangs. Others are killed once and looked at (by
// another kill) every second, so that their slot need not wait long; with
// -a killrace every round.
static void
killorphans(uint now)
{
  for(int i = 0; i < norphans; ){
    int first = orphans[i].killed == 0;
    int gap = orphans[i].strict ? HANGTICKS : 100;
    int look = first || (opt.avoid & AV_KILLRACE) || now - orphans[i].probed >= gap;
    if(look && kill(orphans[i].pid) < 0){
      orphans[i] = orphans[--norphans];
      continue;
    }
    if(first)
      orphans[i].killed = now;
    if(look)
      orphans[i].probed = now;
    if(!first && now - orphans[i].killed >= HANGTICKS && !orphans[i].hung){
      orphans[i].hung = 1;
      nhung++;
      printf("sysfuzz: HANG: pid %d (a child of a w%d program) is alive %d s after its "
             "kill\n", orphans[i].pid, orphans[i].slot, HANGTICKS / 100);
    }
    i++;
  }
}

static int
orphansof(int w)
{
  int n = 0;

  for(int i = 0; i < norphans; i++)
    n += orphans[i].slot == w;
  return n;
}

static int
npairs(void)
{
  int n = 0;

  for(int s = 0; s < 64; s++)
    for(int c = 0; c < NPAIRBITS; c++)
      n += (allseen[s][c / 8] >> (c % 8)) & 1;
  return n;
}

// Program seeds: from the run's seed, the slot and the program's number;
// with -r, the given one.
static void
spawn(int w, uint now)
{
  uint64 seed = opt.replay ? opt.seed : mix(opt.seed, (uint64)w << 32 | slots[w].nprog);
  int pid;

  slots[w].nprog++;
  printf("sysfuzz: w%d #%d seed 0x%lx\n", w, slots[w].nprog, seed);
  if((pid = fork()) == 0)
    worker(w, seed);
  if(pid < 0){
    nfailed++;
    return;
  }
  slots[w].pid = pid;
  slots[w].seed = seed;
  slots[w].start = now;
  slots[w].firstkill = slots[w].lastkill = 0;
  slots[w].hung = 0;
}

// A program past its deadline is killed (with -a killrace again every second:
// a kill can be lost); one that outlives its first kill by HANGTICKS is a hang.
static void
deadlines(uint now)
{
  for(int w = 0; w < MAXSLOT; w++){
    if(slots[w].pid == 0 || now - slots[w].start < opt.deadline)
      continue;
    if(slots[w].firstkill == 0){
      slots[w].firstkill = now;
      nstopped++;
    }
    if(slots[w].lastkill == 0 ||
       ((opt.avoid & AV_KILLRACE) && now - slots[w].lastkill >= 100)){
      kill(slots[w].pid);
      slots[w].lastkill = now;
    }
    if(!slots[w].hung && now - slots[w].firstkill > HANGTICKS){
      slots[w].hung = 1;
      nhung++;
      printf("sysfuzz: HANG: w%d (pid %d, seed 0x%lx) is alive %d s after its first kill\n",
             w, slots[w].pid, slots[w].seed, HANGTICKS / 100);
    }
  }
}

static int
reap(uint now)
{
  int pid, st, running = 0;

  while((pid = waitpid(-1, &st, WNOHANG)) > 0){
    for(int w = 0; w < MAXSLOT; w++){
      if(slots[w].pid != pid)
        continue;
      readstats(w, now);
      nprogs++;
      nfailed += st == 2 && slots[w].firstkill == 0;   // setup failed
      slots[w].pid = 0;
      slots[w].ended = now;
    }
  }
  for(int w = 0; w < MAXSLOT; w++)
    running += slots[w].pid != 0;
  return running;
}

static void
progress(uint ticks)
{
  printf("sysfuzz: progress %d s: %ld calls (%ld/s), %d programs, %d pairs, edges %ld of %ld\n",
         ticks / 100, totalcalls, ticks ? totalcalls * 100 / ticks : 0, nprogs, npairs(),
         kstat(KSTAT_COV_HIT), kstat(KSTAT_COV_TOTAL));
}

// Run programs in the slots until the time (-T) or the count (-N) is up,
// then until every program and every child of one is gone.
static uint
supervise(void)
{
  uint t0 = uptime(), now = t0, lastprogress = t0, lastkill = t0, stopat = 0;
  int first = opt.replay ? opt.slot : 0, launched = 0, stopping = 0, running;

  for(;;){
    now = uptime();
    running = reap(now);
    if(!stopping && ((opt.secs && now - t0 >= opt.secs * 100) ||
                     (opt.progs && launched >= opt.progs))){
      stopping = 1;
      stopat = now;
    }
    for(int w = first; w < first + opt.workers && !stopping; w++){
      if(slots[w].pid != 0 || (orphansof(w) && now - slots[w].ended < 500))
        continue;
      spawn(w, now);
      running++;
      if(opt.progs && ++launched >= opt.progs)
        break;
    }
    deadlines(now);
    if(now - lastkill >= 5){
      killorphans(now);
      lastkill = now;
    }
    if(opt.interval && now - lastprogress >= opt.interval * 100){
      progress(now - t0);
      lastprogress = now;
    }
    if(stopping && running == 0 && norphans == 0)
      break;
    if(stopping && now - stopat > HANGTICKS + 500){
      printf("sysfuzz: HANG: %d programs and %d children still alive at the end\n",
             running, norphans);
      nhung++;
      break;
    }
    pause(2);
  }
  return now - t0;
}

// ---------------------------------------------------------------- report
static void
report(uint ticks, long pages0, long procs0, long edges0)
{
  long edges = kstat(KSTAT_COV_HIT), total = kstat(KSTAT_COV_TOTAL);
  long pages = kstat(KSTAT_FREEPAGES), procs = kstat(KSTAT_NPROC);
  char b[24];

  if(ticks == 0)
    ticks = 1;
  printf("sysfuzz: done: %ld calls in %d.%d s (%ld calls/s), %d programs (%d stopped at "
         "their deadline, %d hung, %d failed to start)\n", totalcalls, ticks / 100,
         ticks % 100 / 10, totalcalls * 100 / ticks, nprogs, nstopped, nhung, nfailed);
  printf("sysfuzz: distinct (call, result) pairs: %d\n", npairs());
  if(total > 0)
    printf("sysfuzz: kernel edges reached: %ld of %ld (%ld before the run)\n", edges, total,
           edges0);
  else
    printf("sysfuzz: kernel edges reached: not counted (boot the coverage build: "
           "make qemu COVERAGE=1)\n");
  printf("sysfuzz: free pages %ld before, %ld after; processes %ld before, %ld after\n",
         pages0, pages, procs0, procs);
  for(int s = 0; s < 64; s++){
    if(totals[s] == 0)
      continue;
    printf("sysfuzz:   %s %ld:", callname(s), totals[s]);
    for(int c = 0; c < NPAIRBITS; c++){
      if(allseen[s][c / 8] & (1 << (c % 8))){
        classname(s, c, b, sizeof(b));
        printf(" %s", b);
      }
    }
    printf("\n");
  }
}

// ---------------------------------------------------------------- main
static uint64
num(const char *s)
{
  uint64 v = 0;
  int base = 10, d;

  if(s[0] == '0' && (s[1] == 'x' || s[1] == 'X')){
    base = 16;
    s += 2;
  }
  for(; *s; s++){
    d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
        *s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : 99;
    if(d >= base)
      break;
    v = v * base + d;
  }
  return v;
}

// -c 0,3,7-9: the calls of the program to run.
static void
subset(const char *s)
{
  int a, b;

  opt.hassubset = 1;
  while(*s){
    a = b = num(s);
    while(*s >= '0' && *s <= '9')
      s++;
    if(*s == '-'){
      b = num(++s);
      while(*s >= '0' && *s <= '9')
        s++;
    }
    for(; a <= b && a < MAXCALLS; a++)
      opt.subset[a / 8] |= 1 << (a % 8);
    if(*s == ',')
      s++;
    else if(*s)
      break;
  }
}

static int
avoidbits(const char *s)
{
  int bits = 0, n;

  if(strcmp(s, "all") == 0)
    return ~0;
  while(*s){
    for(n = 0; s[n] && s[n] != ','; n++)
      ;
    for(int i = 0; i < NELEM(avoids); i++)
      if(strlen(avoids[i].name) == n && strncmp(s, avoids[i].name, n) == 0)
        bits |= avoids[i].bit;
    s += n;
    if(*s == ',')
      s++;
  }
  return bits;
}

static void
usage(void)
{
  fprintf(2, "usage: sysfuzz [-p workers] [-s seed] [-n calls] [-T secs | -N programs]\n"
             "               [-d deadline-secs] [-H hang-secs] [-i progress-secs] [-a avoid,...]\n"
             "               [-v]\n"
             "       sysfuzz -r progseed [-w slot] [-n calls] [-c 0,3,7-9] [-a ...] [-g gen] [-v]\n"
             "       sysfuzz -m\n"
             "avoid: kill1 dotdot orphan timeo bigtrunc all\n");
  exit(1);
}

static void
kstats(void)
{
  profile(PROF_DISCARD, 0, 0);   // a program may have left the profiler's rings held
  printf("sysfuzz: kstat pages %ld procs %ld kmalloc %ld edges %ld of %ld\n",
         kstat(KSTAT_FREEPAGES), kstat(KSTAT_NPROC), kstat(KSTAT_KMALLOC),
         kstat(KSTAT_COV_HIT), kstat(KSTAT_COV_TOTAL));
}

static void
options(int argc, char *argv[])
{
  for(int i = 1; i < argc; i++){
    char *a = argv[i], *v = argv[i + 1];
    if(strcmp(a, "-v") == 0){
      opt.verbose = 1;
      continue;
    }
    if(strcmp(a, "-m") == 0){
      kstats();
      exit(0);
    }
    if(a[0] != '-' || a[1] == 0 || a[2] != 0 || v == 0)
      usage();
    i++;
    switch(a[1]){
    case 'p': opt.workers = num(v); break;
    case 's': opt.seed = num(v); break;
    case 'n': opt.ncalls = num(v); break;
    case 'T': opt.secs = num(v); break;
    case 'N': opt.progs = num(v); break;
    case 'd': opt.deadline = num(v) * 100; break;
    case 'i': opt.interval = num(v); break;
    case 'H': opt.hang = num(v) * 100; break;
    case 'a': opt.avoid = avoidbits(v); break;
    case 'r': opt.replay = 1; opt.seed = num(v); break;
    case 'g': opt.gen = num(v); break;
    case 'w': opt.slot = num(v); break;
    case 'c': subset(v); break;
    default: usage();
    }
  }
  if(opt.workers < 1 || opt.workers > MAXSLOT || opt.ncalls < 1 || opt.ncalls > MAXCALLS ||
     opt.slot < 0 || opt.slot >= MAXSLOT)
    usage();
  if(opt.replay){
    opt.workers = 1;
    opt.progs = 1;
    opt.secs = 0;
  } else if(opt.secs == 0 && opt.progs == 0){
    opt.secs = 60;
  }
}

int
main(int argc, char *argv[])
{
  long pages0, procs0, edges0;
  uint ticks;
  char dir[16];

  options(argc, argv);
  pages0 = kstat(KSTAT_FREEPAGES);
  procs0 = kstat(KSTAT_NPROC);
  edges0 = kstat(KSTAT_COV_HIT);
  mkdir("/sf");
  for(int w = 0; w < MAXSLOT; w++){
    snprintf(dir, sizeof(dir), "/sf/w%d", w);
    mkdir(dir);
  }
  printf("sysfuzz: %d workers, %d calls a program, seed 0x%lx, %s%d %s; avoiding 0x%x; "
         "calls of generation %d\n", opt.workers, opt.ncalls, opt.seed, opt.replay ? "replay, " : "",
         opt.secs ? opt.secs : opt.progs, opt.secs ? "s" : "programs", opt.avoid, opt.gen);
  ticks = supervise();
  // the trees go; what is left in memory after that is what a run leaks
  if(emptytree("/sf") == 0 && chdir("/") == 0)
    unlink("/sf");
  chdir("/");
  profile(PROF_DISCARD, 0, 0);   // a program may have left the profiler's rings held
  report(ticks, pages0, procs0, edges0);
  exit(nhung ? 2 : 0);
}
