// crashwork: a seeded file system workload for crash tests (tools/crash/run.py).
//
//   crashwork SEED [NOPS [NPROC]]
//
// Makes /cw, plans NOPS operations (default 150) for each of NPROC processes
// (default 2; process w works below /cw/w<w>) from SEED, prints the plans, waits
// for a line on its input (the host's "go"), then the processes do their plans at
// the same time, each printing a line after each operation:
//   P w k OP ARGS     process w's plan, before anything is done (k = 1..NOPS):
//                       mkdir D | rmdir D | create F | trunc F | unlink F
//                       write F VER SIZE CHUNK   open with O_CREATE|O_TRUNC, then
//                                                SIZE bytes of content VER in
//                                                write() calls of CHUNK bytes
//                       over F VER SIZE CHUNK    the same without O_TRUNC (the old
//                                                bytes past SIZE stay)
//                       link OLD NEW | rename OLD NEW
//   READY             the plans are complete and /cw is on disk
//   A w k             operation k of process w has returned (a write: its close):
//                     it is on disk now, whatever happens next
//   E w k ...         it failed (a kernel bug: every planned operation is valid)
//   DONE              every process has finished
// Content VER is the 32-bit little-endian words pattern(VER, i), i = 0, 1, ...
// (kerneltests' pattern), cut to SIZE bytes. The host kills the machine at a
// random moment and checks the disk against the plans and acknowledgements.
// Two processes make operations share group commits, so an acknowledgement
// that came before its group's commit would show up as a lost operation.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define MAXNAMES 40
#define MAXPATHLEN 48
#define MAXDIRS 8
#define CHUNKMAX 65536
#define MAXPROC 4

// The model of /cw the planner keeps, to plan only operations that must work.
struct name {
  char path[MAXPATHLEN];
  int dir;       // a directory (else a file)
  int ino;       // the file's inode in the model (links share it)
};

static struct name names[MAXNAMES];
static int nnames;
static int nextino = 1;

struct op {
  char kind[8];
  char a[MAXPATHLEN], b[MAXPATHLEN];
  int ver, size, chunk;
};

static struct op *plans[MAXPROC];
static char root[16];             // this process's directory, /cw/w<w>
static char buf[CHUNKMAX + 4];
static uint64 rngstate;

static uint
rnd(void)
{
  rngstate = rngstate * 6364136223846793005UL + 1442695040888963407UL;
  return rngstate >> 33;
}

static uint
pattern(uint ver, uint i)
{
  return (i * 2654435761U) ^ (ver * 40503U) ^ (i >> 7);
}

// ---------------------------------------------------------------- the model

static int
find(char *path)
{
  int i;

  for(i = 0; i < nnames; i++)
    if(strcmp(names[i].path, path) == 0)
      return i;
  return -1;
}

static void
addname(char *path, int dir, int ino)
{
  strcpy(names[nnames].path, path);
  names[nnames].dir = dir;
  names[nnames].ino = ino;
  nnames++;
}

static void
delname(int i)
{
  names[i] = names[--nnames];
}

// Is path below directory dir?
static int
below(char *path, char *dir)
{
  int n = strlen(dir);

  return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static int
isempty(char *dir)
{
  int i;

  for(i = 0; i < nnames; i++)
    if(below(names[i].path, dir))
      return 0;
  return 1;
}

static int
depth(char *path)
{
  int d = 0;

  for(; *path; path++)
    d += *path == '/';
  return d;
}

// A random name of the given kind (dir or file), or -1 if there is none.
static int
pick(int dir)
{
  int i, n = 0, want;

  for(i = 0; i < nnames; i++)
    n += names[i].dir == dir;
  if(n == 0)
    return -1;
  want = rnd() % n;
  for(i = 0; i < nnames; i++)
    if(names[i].dir == dir && want-- == 0)
      return i;
  return -1;
}

// A path that does not exist yet, in a random directory: "fN" or "dN".
static int
newpath(char *out, int dir)
{
  int tries, d;

  for(tries = 0; tries < 20; tries++){
    d = pick(1);
    snprintf(out, MAXPATHLEN, "%s/%c%d", names[d].path, dir ? 'd' : 'f', rnd() % 6);
    if(find(out) < 0 && depth(out) <= 6)
      return 0;
  }
  return -1;
}

// Rename in the model: the name at i (and a directory's subtree) to path.
static void
movename(int i, char *path)
{
  char old[MAXPATHLEN], tail[MAXPATHLEN];
  int j, n;

  strcpy(old, names[i].path);
  n = strlen(old);
  for(j = 0; j < nnames; j++){
    if(below(names[j].path, old)){
      strcpy(tail, names[j].path + n);
      snprintf(names[j].path, MAXPATHLEN, "%s%s", path, tail);
    }
  }
  strcpy(names[i].path, path);
}

// ---------------------------------------------------------------- planning

static int
plan_write(struct op *o, int k)
{
  static int chunks[] = { 512, 1000, 4096, 16384, 65536 };
  int r = rnd() % 100, i;

  if(rnd() % 2 && (i = pick(0)) >= 0){
    strcpy(o->a, names[i].path);            // rewrite an existing file
  } else {
    if(nnames >= MAXNAMES || newpath(o->a, 0) < 0)
      return -1;
    addname(o->a, 0, nextino++);
  }
  strcpy(o->kind, "write");
  o->ver = k;
  if(r < 30)
    o->size = rnd() % 200;
  else if(r < 65)
    o->size = 1000 + rnd() % 7000;
  else if(r < 92)
    o->size = 10000 + rnd() % 60000;
  else
    o->size = 280000 + rnd() % 140000;    // into the doubly-indirect blocks
  o->chunk = chunks[rnd() % 5];
  return 0;
}

// Rewrite the start of an existing file (no O_TRUNC).
static int
plan_over(struct op *o, int k)
{
  int i;

  if((i = pick(0)) < 0)
    return -1;
  strcpy(o->kind, "over");
  strcpy(o->a, names[i].path);
  o->ver = k;
  o->size = rnd() % 2 ? rnd() % 3000 : rnd() % 300000;
  o->chunk = 4096;
  return 0;
}

static int
plan_trunc(struct op *o, int k)
{
  int i;

  if((i = pick(0)) < 0)
    return -1;
  strcpy(o->kind, "trunc");
  strcpy(o->a, names[i].path);
  return 0;
}

static int
plan_create(struct op *o, int k)
{
  if(nnames >= MAXNAMES || newpath(o->a, 0) < 0)
    return -1;
  strcpy(o->kind, "create");
  addname(o->a, 0, nextino++);
  return 0;
}

static int
plan_link(struct op *o, int k)
{
  int i;

  if((i = pick(0)) < 0 || nnames >= MAXNAMES || newpath(o->b, 0) < 0)
    return -1;
  strcpy(o->kind, "link");
  strcpy(o->a, names[i].path);
  addname(o->b, 0, names[i].ino);
  return 0;
}

static int
plan_unlink(struct op *o, int k)
{
  int i;

  if((i = pick(0)) < 0)
    return -1;
  strcpy(o->kind, "unlink");
  strcpy(o->a, names[i].path);
  delname(i);
  return 0;
}

// A file to a new name, or over another file (not a link of the same inode:
// that rename does nothing).
static int
plan_rename(struct op *o, int k)
{
  int i, j;

  if((i = pick(0)) < 0)
    return -1;
  strcpy(o->kind, "rename");
  strcpy(o->a, names[i].path);
  j = rnd() % 2 ? pick(0) : -1;
  if(j >= 0 && names[j].ino != names[i].ino){
    strcpy(o->b, names[j].path);
    delname(j);
    i = find(o->a);
  } else if(newpath(o->b, 0) < 0){
    return -1;
  }
  movename(i, o->b);
  return 0;
}

static int
plan_mkdir(struct op *o, int k)
{
  int i, n = 0;

  for(i = 0; i < nnames; i++)
    n += names[i].dir;
  if(n >= MAXDIRS || nnames >= MAXNAMES || newpath(o->a, 1) < 0)
    return -1;
  strcpy(o->kind, "mkdir");
  addname(o->a, 1, 0);
  return 0;
}

static int
plan_rmdir(struct op *o, int k)
{
  int i = pick(1);

  if(i < 0 || strcmp(names[i].path, root) == 0 || !isempty(names[i].path))
    return -1;
  strcpy(o->kind, "rmdir");
  strcpy(o->a, names[i].path);
  delname(i);
  return 0;
}

// Deepest path below dir, in levels below it.
static int
height(char *dir)
{
  int i, h = 0;

  for(i = 0; i < nnames; i++)
    if(below(names[i].path, dir) && depth(names[i].path) - depth(dir) > h)
      h = depth(names[i].path) - depth(dir);
  return h;
}

// A directory to a new name or over an empty directory, never into its
// own subtree, and no deeper than paths may go.
static int
plan_renamedir(struct op *o, int k)
{
  int i = pick(1), j = pick(1);

  if(i < 0 || strcmp(names[i].path, root) == 0)
    return -1;
  strcpy(o->kind, "rename");
  strcpy(o->a, names[i].path);
  if(rnd() % 2 && j != i && strcmp(names[j].path, root) != 0 && isempty(names[j].path) &&
     !below(names[j].path, o->a)){
    strcpy(o->b, names[j].path);
  } else if(newpath(o->b, 1) < 0 || below(o->b, o->a)){
    return -1;
  }
  if(depth(o->b) + height(o->a) > 7)
    return -1;
  if((j = find(o->b)) >= 0){
    delname(j);
    i = find(o->a);
  }
  movename(i, o->b);
  return 0;
}

// Kinds of operation and how often each is planned (in percent).
static struct {
  int weight;
  int (*plan)(struct op*, int);
} kinds[] = {
  { 30, plan_write }, { 8, plan_over }, { 7, plan_trunc }, { 5, plan_create },
  { 8, plan_link }, { 10, plan_unlink }, { 12, plan_rename }, { 8, plan_mkdir },
  { 5, plan_rmdir }, { 7, plan_renamedir },
};

// Plan one operation on the model; -1 if the kind drawn does not fit now
// (the model is unchanged then).
static int
plan_one(struct op *o, int k)
{
  int r = rnd() % 100, i;

  memset(o, 0, sizeof(*o));
  for(i = 0; r >= kinds[i].weight; i++)
    r -= kinds[i].weight;
  return kinds[i].plan(o, k);
}

static void
print_op(int w, int k, struct op *o)
{
  if(o->kind[0] == 'w' || o->kind[0] == 'o')
    printf("P %d %d %s %s %d %d %d\n", w, k, o->kind, o->a, o->ver, o->size, o->chunk);
  else if(o->b[0])
    printf("P %d %d %s %s %s\n", w, k, o->kind, o->a, o->b);
  else
    printf("P %d %d %s %s\n", w, k, o->kind, o->a);
}

// Plan process w's nops operations from seed; the first makes its directory.
static void
plan_proc(int w, int seed, int nops)
{
  struct op *plan = plans[w];
  int k, tries;

  rngstate = (seed + 7919UL * w) * 2654435761UL + 1;
  nnames = 0;
  snprintf(root, sizeof(root), "/cw/w%d", w);
  memset(&plan[1], 0, sizeof(struct op));
  strcpy(plan[1].kind, "mkdir");
  strcpy(plan[1].a, root);
  addname(root, 1, 0);
  for(k = 2; k <= nops; k++){
    for(tries = 0; plan_one(&plan[k], k) < 0; tries++){
      if(tries > 1000){
        fprintf(2, "crashwork: cannot plan operation %d\n", k);
        exit(1);
      }
    }
  }
  for(k = 1; k <= nops; k++)
    print_op(w, k, &plan[k]);
}

// ---------------------------------------------------------------- doing

// Write size bytes of content ver to fd in write() calls of chunk bytes.
static int
writecontent(int fd, int ver, int size, int chunk)
{
  int off, n, i;

  for(off = 0; off < size; off += n){
    n = size - off < chunk ? size - off : chunk;
    for(i = 0; i < n; i += 4)
      *(uint*)(buf + i) = pattern(ver, (off + i) / 4);
    if(write(fd, buf, n) != n)
      return -1;
  }
  return 0;
}

static int
do_write(struct op *o, int mode)
{
  int fd, r;

  if((fd = open(o->a, mode)) < 0)
    return -1;
  r = writecontent(fd, o->ver, o->size, o->chunk);
  close(fd);
  return r;
}

static int
do_op(struct op *o)
{
  int fd;

  switch(o->kind[0]){
  case 'm': return mkdir(o->a);
  case 'w': return do_write(o, O_CREATE|O_TRUNC|O_WRONLY);
  case 'o': return do_write(o, O_WRONLY);
  case 'u': return unlink(o->a);
  case 'l': return link(o->a, o->b);
  case 'r':
    if(o->kind[1] == 'm')
      return unlink(o->a);                 // rmdir
    return rename(o->a, o->b);
  case 't':
  case 'c':
    fd = open(o->a, o->kind[0] == 't' ? O_WRONLY|O_TRUNC : O_CREATE|O_RDWR);
    if(fd < 0)
      return -1;
    close(fd);
    return 0;
  }
  return -1;
}

// Process w does its plan.
static void
work(int w, int nops)
{
  int k;

  for(k = 1; k <= nops; k++){
    if(do_op(&plans[w][k]) < 0){
      printf("E %d %d %s %s failed\n", w, k, plans[w][k].kind, plans[w][k].a);
      exit(1);
    }
    printf("A %d %d\n", w, k);
  }
}

int
main(int argc, char *argv[])
{
  int seed, nops, nproc, w, st, bad = 0;
  char line[16];

  if(argc < 2){
    fprintf(2, "usage: crashwork SEED [NOPS [NPROC]]\n");
    exit(1);
  }
  seed = atoi(argv[1]);
  nops = argc > 2 ? atoi(argv[2]) : 150;
  nproc = argc > 3 ? atoi(argv[3]) : 2;
  if(nops < 1 || nproc < 1 || nproc > MAXPROC){
    fprintf(2, "crashwork: NOPS must be positive, NPROC 1..%d\n", MAXPROC);
    exit(1);
  }
  for(w = 0; w < nproc; w++){
    if((plans[w] = malloc((nops + 1) * sizeof(struct op))) == 0){
      fprintf(2, "crashwork: out of memory\n");
      exit(1);
    }
    plan_proc(w, seed, nops);
  }
  if(mkdir("/cw") < 0){
    fprintf(2, "crashwork: cannot make /cw (it must not exist)\n");
    exit(1);
  }
  printf("READY\n");
  gets(line, sizeof(line));                 // the host's "go"
  for(w = 1; w < nproc; w++){
    if(fork() == 0){
      work(w, nops);
      exit(0);
    }
  }
  work(0, nops);
  for(w = 1; w < nproc; w++)
    if(wait(&st) < 0 || st != 0)
      bad = 1;
  printf(bad ? "FAILED\n" : "DONE\n");
  exit(bad);
}
