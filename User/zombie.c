// zombie: leave a child that has exited but is not waited for, so the parent's
// exit hands it to init, which must reap it.
#include "kernel/types.h"
#include "user/user.h"

int
main(void)
{
  if(fork() > 0)
    pause(5);   // the child exits meanwhile and stays a zombie
  exit(0);
}
