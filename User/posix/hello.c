#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
  printf("hello from picolibc, argc=%d argv[0]=%s %f\n", argc, argv[0], 3.25);
  fprintf(stderr, "to stderr\n");
  char *p = malloc(100000);
  printf("malloc %p\n", p);
  if(open("/nonexistent", O_RDONLY) < 0)
    perror("open /nonexistent");
  return 3;
}
