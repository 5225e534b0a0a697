// kill: kill the processes whose ids are given.
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  int i, bad = 0;

  if(argc < 2){
    fprintf(2, "usage: kill pid...\n");
    exit(1);
  }
  for(i = 1; i < argc; i++){
    if(kill(atoi(argv[i])) < 0){
      if(atoi(argv[i]) == 1)
        fprintf(2, "kill: 1: init cannot be killed\n");
      else
        fprintf(2, "kill: no process %s\n", argv[i]);
      bad = 1;
    }
  }
  return bad;
}
