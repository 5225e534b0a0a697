// exitcode: run a program and print how it ended, for scripts and tests (the
// shell has no $?): "exitcode: N" with its exit status.
//   exitcode PROGRAM [ARG...]
#include <stdio.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>

int
main(int argc, char *argv[])
{
  pid_t pid;
  int status;

  if(argc < 2){
    fprintf(stderr, "usage: exitcode PROGRAM [ARG...]\n");
    return 2;
  }
  if((pid = fork()) < 0){
    perror("exitcode: fork");
    return 1;
  }
  if(pid == 0){
    execvp(argv[1], argv + 1);
    perror(argv[1]);
    _exit(127);
  }
  if(waitpid(pid, &status, 0) != pid){
    perror("exitcode: waitpid");
    return 1;
  }
  printf("exitcode: %d\n", WEXITSTATUS(status));
  return 0;
}
