// fsbench: times the file system's read and write paths from user space, so a
// change to the buffer cache, the log or the disk driver can be measured without
// the network in the way (`make bench` and docs/performance-notes.md use it).
//
//   fsbench read FILE [BUFSIZE]          read FILE to its end
//   fsbench write FILE KIB [BUFSIZE]     create FILE with KIB KiB of data
//
// BUFSIZE is the size of each read() or write() (default 16384, at most 65536).
// Prints one line: fsbench: read 16777216 bytes in 812 ms (20.6 MB/s)
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/socket.h"

#define MAXBUF 65536

static char buf[MAXBUF];

static void
report(const char *what, uint64 bytes, uint64 us)
{
  uint64 ms = us / 1000;
  // MB/s = bytes / us, with one decimal
  uint64 tenths = us ? bytes * 10 / us : 0;

  printf("fsbench: %s %lu bytes in %lu ms (%lu.%lu MB/s)\n", what, bytes, ms,
         tenths / 10, tenths % 10);
}

static int
usage(void)
{
  fprintf(2, "usage: fsbench read FILE [BUFSIZE]\n"
             "       fsbench write FILE KIB [BUFSIZE]\n");
  return 1;
}

static int
bufsize_arg(char *s)
{
  int n = atoi(s);
  if(n <= 0 || n > MAXBUF){
    fprintf(2, "fsbench: BUFSIZE must be 1..%d\n", MAXBUF);
    exit(1);
  }
  return n;
}

static int
read_file(char *path, int bufsize)
{
  int fd, n;
  uint64 total = 0, start;

  if((fd = open(path, O_RDONLY)) < 0){
    fprintf(2, "fsbench: cannot open %s\n", path);
    return 1;
  }
  start = now_us();
  while((n = read(fd, buf, bufsize)) > 0)
    total += n;
  report("read", total, now_us() - start);
  close(fd);
  return n < 0;
}

static int
write_file(char *path, int kib, int bufsize)
{
  int fd, i;
  uint64 total = (uint64)kib * 1024, left, start;

  if(kib <= 0){
    fprintf(2, "fsbench: KIB must be positive\n");
    return 1;
  }
  for(i = 0; i < bufsize; i++)
    buf[i] = 'a' + i % 26;
  if((fd = open(path, O_CREATE | O_TRUNC | O_WRONLY)) < 0){
    fprintf(2, "fsbench: cannot create %s\n", path);
    return 1;
  }
  start = now_us();
  for(left = total; left > 0; ){
    int n = left < (uint64)bufsize ? (int)left : bufsize;
    if(write(fd, buf, n) != n){
      fprintf(2, "fsbench: write to %s failed (disk full?)\n", path);
      close(fd);
      return 1;
    }
    left -= n;
  }
  close(fd);
  report("wrote", total, now_us() - start);
  return 0;
}

int
main(int argc, char *argv[])
{
  if(argc >= 3 && strcmp(argv[1], "read") == 0 && argc <= 4)
    exit(read_file(argv[2], argc == 4 ? bufsize_arg(argv[3]) : 16384));
  if(argc >= 4 && strcmp(argv[1], "write") == 0 && argc <= 5)
    exit(write_file(argv[2], atoi(argv[3]), argc == 5 ? bufsize_arg(argv[4]) : 16384));
  exit(usage());
}
