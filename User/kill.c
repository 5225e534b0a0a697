// kill [-SIG] pid...: send signal number SIG to the processes whose ids are
// given; without -SIG, xv6's kill (SIGKILL). -0 only checks that they exist.
#include "kernel/types.h"
#include "kernel/errnum.h"
#include "user/user.h"

static void
usage(void)
{
  fprintf(2, "usage: kill [-signal number] pid...\n");
  exit(1);
}

int
main(int argc, char *argv[])
{
  int i = 1, sig = SIGKILL, bad = 0, r;

  if(argc > 1 && argv[1][0] == '-'){
    if(argv[1][1] < '0' || argv[1][1] > '9')
      usage();
    sig = atoi(argv[1] + 1);
    i = 2;
  }
  if(i >= argc)
    usage();
  for(; i < argc; i++){
    r = sig == SIGKILL ? (kill(atoi(argv[i])) < 0 ? -ESRCH : 0) : sigsend(atoi(argv[i]), sig);
    if(r < 0 && atoi(argv[i]) == 1 && (sig == SIGKILL || r == -EPERM))
      fprintf(2, "kill: 1: init cannot be killed\n");
    else if(r == -EINVAL)
      fprintf(2, "kill: bad signal %d\n", sig);
    else if(r < 0)
      fprintf(2, "kill: no process %s\n", argv[i]);
    bad |= r < 0;
  }
  return bad;
}
