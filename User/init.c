// init: the first user program. Opens the console as file descriptors 0, 1
// and 2, then keeps a shell running, reaping orphaned children as they exit.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/file.h"
#include "user/user.h"

static char *shargv[] = { "sh", 0 };
static char *httpdargv[] = { "httpd", "-q", 0 };

static void
openconsole(void)
{
  if(open("console", O_RDWR) < 0){
    mknod("console", CONSOLE, 0);
    if(open("console", O_RDWR) < 0)
      exit(1);   // nothing to report to
  }
  dup(0);  // stdout
  dup(0);  // stderr
}

int
main(void)
{
  int pid, w;

  openconsole();
  // ^C (SIGINT to the processes on the console) is for what the shell runs
  // in the foreground, not for init's children: they ignore it (sh resets it).
  signal(SIGINT, (sighandler_t)SIG_IGN);
  // The web server runs from boot, so `curl localhost:FWDPORT` works at once.
  // init says so itself, before the first prompt.
  if((pid = fork()) == 0){
    exec("httpd", httpdargv);
    printf("init: exec httpd failed\n");
    exit(1);
  }
  if(pid > 0)
    printf("init: started httpd (pid %d) on port 80; stop it with kill %d\n", pid, pid);
  for(;;){
    printf("init: starting sh\n");
    pid = fork();
    if(pid < 0){
      printf("init: fork failed\n");
      exit(1);
    }
    if(pid == 0){
      exec("sh", shargv);
      printf("init: exec sh failed\n");
      exit(1);
    }
    // wait for the shell; any other child is an orphan handed to us
    while((w = wait(0)) != pid){
      if(w < 0){
        printf("init: wait returned an error\n");
        exit(1);
      }
    }
  }
}
