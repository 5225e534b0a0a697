// prof: drives the kernel's sampling profiler (kernel/profile.h).
//
//   prof start [HZ]   sample every hart HZ times a second (default 1000)
//   prof stop         stop sampling; the samples stay until dumped
//   prof dump         stop, then print every sample as a line of text
//   prof info         the run's counts
//
// The dump is for tools/profile/run.py, which reads it from the console:
//   profile: begin hz=H harts=N samples=S lost=L taken=T sampler=machine|supervisor
//   C index pid name                  one per (pid, program) seen
//   S hart mode pid comm pc ra upc [ret ...]
//   profile: end samples=S lost=L
// mode is u (user), k (kernel) or i (idle), in capitals if the kernel had
// interrupts off (machine-mode samples only); comm indexes the C lines; numbers
// after comm are hex: the pc, the ra register, for kernel samples the process's
// user pc and the return addresses of the kernel stack, innermost first.
#include "kernel/types.h"
#include "kernel/profile.h"
#include "user/user.h"

#define BATCH 64

static struct profsample samples[BATCH];
static struct profcomm comms[PROF_NCOMM];
static char out[4096];
static int outlen;

static void
flush(void)
{
  if(outlen > 0)
    write(1, out, outlen);
  outlen = 0;
}

static void
line(struct profsample *s)
{
  static const char modes[] = "?uki?UKI";
  char *p;
  int n;

  if(outlen > (int)sizeof(out) - 400)
    flush();
  p = out + outlen;
  n = snprintf(p, 200, "S %d %c %d %d %lx %lx %lx", s->hart, modes[(s->mode & PROF_MODE) | (s->mode & PROF_IRQSOFF ? 4 : 0)], s->pid,
               s->comm == PROF_COMM_NONE ? -1 : s->comm, s->pc, s->ra, s->upc);
  for(int d = 0; d < PROF_DEPTH && s->stack[d]; d++)
    n += snprintf(p + n, 20, " %lx", s->stack[d]);
  p[n++] = '\n';
  outlen += n;
}

static int
dump(void)
{
  struct profinfo pi;
  long n, total = 0;

  profile(PROF_STOP, 0, 0);
  if(profile(PROF_INFO, &pi, sizeof(pi)) < 0){
    printf("prof: no profile\n");
    return 1;
  }
  printf("profile: begin hz=%d harts=%d samples=%ld lost=%ld taken=%ld sampler=%s\n", pi.hz,
         pi.harts, pi.held, pi.lost, pi.taken, pi.machine ? "machine" : "supervisor");
  n = profile(PROF_COMMS, comms, sizeof(comms));
  for(int i = 0; i < n; i++)
    printf("C %d %d %s\n", i, comms[i].pid, comms[i].name);
  while((n = profile(PROF_READ, samples, sizeof(samples))) > 0){
    for(int i = 0; i < n; i++)
      line(&samples[i]);
    total += n;
  }
  flush();
  printf("profile: end samples=%ld lost=%ld\n", total, pi.lost);
  return n < 0;
}

int
main(int argc, char *argv[])
{
  long r;

  if(argc >= 2 && strcmp(argv[1], "start") == 0){
    if((r = profile(PROF_START, 0, argc > 2 ? atoi(argv[2]) : 0)) < 0){
      printf("prof: cannot start (error %ld)\n", -r);
      exit(1);
    }
  } else if(argc == 2 && strcmp(argv[1], "stop") == 0){
    printf("prof: %ld samples held\n", profile(PROF_STOP, 0, 0));
  } else if(argc == 2 && strcmp(argv[1], "dump") == 0){
    exit(dump());
  } else if(argc == 2 && strcmp(argv[1], "info") == 0){
    struct profinfo pi;
    if(profile(PROF_INFO, &pi, sizeof(pi)) < 0)
      exit(1);
    printf("prof: hz %d running %d harts %d held %ld taken %ld lost %ld capacity %ld/hart\n",
           pi.hz, pi.running, pi.harts, pi.held, pi.taken, pi.lost, pi.capacity);
  } else {
    printf("usage: prof start [HZ] | stop | dump | info\n");
    exit(1);
  }
  exit(0);
}
