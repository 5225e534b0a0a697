// wc: count lines, words and bytes in each file (or standard input).
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[1024];

static int
isspace(char c)
{
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v';
}

static void
count(int fd, const char *name)
{
  int n, i, inword = 0;
  long lines = 0, words = 0, bytes = 0;

  while((n = read(fd, buf, sizeof(buf))) > 0){
    bytes += n;
    for(i = 0; i < n; i++){
      if(buf[i] == '\n')
        lines++;
      if(isspace(buf[i])){
        inword = 0;
      } else if(!inword){
        words++;
        inword = 1;
      }
    }
  }
  if(n < 0){
    fprintf(2, "wc: read error\n");
    exit(1);
  }
  printf("%ld %ld %ld %s\n", lines, words, bytes, name);
}

int
main(int argc, char *argv[])
{
  int i, fd;

  if(argc < 2){
    count(0, "");
    return 0;
  }
  for(i = 1; i < argc; i++){
    if((fd = open(argv[i], O_RDONLY)) < 0){
      fprintf(2, "wc: cannot open %s\n", argv[i]);
      exit(1);
    }
    count(fd, argv[i]);
    close(fd);
  }
  return 0;
}
