// cat: copy each named file (or standard input) to standard output.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[1024];

static void
copy(int fd, const char *name)
{
  int n;

  while((n = read(fd, buf, sizeof(buf))) > 0){
    if(write(1, buf, n) != n){
      fprintf(2, "cat: write error\n");
      exit(1);
    }
  }
  if(n < 0){
    fprintf(2, "cat: read error on %s\n", name);
    exit(1);
  }
}

int
main(int argc, char *argv[])
{
  int i, fd;

  if(argc < 2){
    copy(0, "standard input");
    return 0;
  }
  for(i = 1; i < argc; i++){
    if((fd = open(argv[i], O_RDONLY)) < 0){
      fprintf(2, "cat: cannot open %s\n", argv[i]);
      exit(1);
    }
    copy(fd, argv[i]);
    close(fd);
  }
  return 0;
}
