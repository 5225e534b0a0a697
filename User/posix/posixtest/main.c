// posixtest's options, its report, and its checks' counting (posixtest.h).
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "posixtest.h"

int verbose, checks, failures;

void
check(int ok, const char *what, const char *file, int line)
{
  checks++;
  if(!ok){
    failures++;
    printf("FAIL %s:%d: %s (errno %d: %s)\n", file, line, what, errno, strerror(errno));
  } else if(verbose) {
    printf("ok: %s\n", what);
  }
}

static void
usage(void)
{
  fprintf(stderr, "usage: posixtest [-v] local | [-n count] tcp HOST PORT WORD\n");
  exit(2);
}

int
main(int argc, char *argv[])
{
  int c, count = 1;

  while((c = getopt(argc, argv, "vn:")) != -1){
    switch(c){
    case 'v':
      verbose = 1;
      break;
    case 'n':
      count = atoi(optarg);
      break;
    default:
      usage();
    }
  }
  if(optind < argc && strcmp(argv[optind], "local") == 0){
    strings_and_numbers();
    files();
    redirect();
    vectors();
    timing();
    processes();
    signals();
    system_calls_built();
    sockets_local();
    if(failures){
      printf("%d OF %d CHECKS FAILED\n", failures, checks);
      return 1;
    }
    printf("ALL %d CHECKS PASSED\n", checks);
    return 0;
  }
  if(optind + 2 == argc && strcmp(argv[optind], "getenv") == 0){   // for the environment checks
    char *v = getenv(argv[optind + 1]);
    if(v)
      printf("%s\n", v);
    return v ? 0 : 1;
  }
  if(optind + 2 == argc && strcmp(argv[optind], "isopen") == 0)   // for the close-on-exec checks
    return fcntl(atoi(argv[optind + 1]), F_GETFD) >= 0 ? 0 : 1;
  if(optind + 4 == argc && strcmp(argv[optind], "tcp") == 0 && count > 0)
    return tcp(argv[optind + 1], argv[optind + 2], argv[optind + 3], count);
  usage();
  return 2;
}
