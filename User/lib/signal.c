// signal.c: the xv6 world's signal helpers over the system calls in usys.S.
// A handler returns through a restorer that calls sigreturn (kernel/sigabi.h);
// these wrappers fill it in, so programs need not.
#include "kernel/types.h"
#include "user/user.h"

int __sigaction(int, const struct ksigaction*, struct ksigaction*);

// sigaction with the restorer filled in. Like libc's, it reads *act itself:
// a bad act pointer faults here, where the raw __sigaction gets -EFAULT.
int
sigaction(int sig, const struct ksigaction *act, struct ksigaction *old)
{
  struct ksigaction a;

  if(act == 0)
    return __sigaction(sig, 0, old);
  a = *act;
  a.restorer = (unsigned long)sigreturn;
  return __sigaction(sig, &a, old);
}

// signal(sig, handler): BSD semantics, as most C libraries give it (the
// handler stays installed; interrupted reads and writes restart). Returns
// the previous handler, or (sighandler_t)-1 on error.
sighandler_t
signal(int sig, sighandler_t handler)
{
  struct ksigaction a, old;

  memset(&a, 0, sizeof(a));
  a.handler = (unsigned long)handler;
  a.flags = SA_RESTART;
  if(sigaction(sig, &a, &old) < 0)
    return (sighandler_t)-1;
  return (sighandler_t)old.handler;
}
