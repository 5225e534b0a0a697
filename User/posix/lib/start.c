// start.c: the C side of a POSIX program's start (crt0.S jumps here), and
// stdin, stdout and stderr: the C library's buffered streams on descriptors 0..2.
#include <stdio.h>
#include <stdio-bufio.h>
#include <stdlib.h>
#include <unistd.h>

extern int main(int argc, char **argv, char **envp);
void __libc_init_array(void);

static char inbuf[BUFSIZ], outbuf[BUFSIZ];

// Reading stdin first flushes stdout, as C libraries do for interactive
// programs: a prompt without a newline shows before the program waits.
static ssize_t
read_stdin(int fd, void *buf, size_t n)
{
  fflush(stdout);
  return read(fd, buf, n);
}

// stdout is line-buffered (a prompt without a newline needs fflush, as on
// Unix with a pipe); stderr is unbuffered: one byte of buffer, flushed at once.
static struct __file_bufio in = FDEV_SETUP_BUFIO(0, inbuf, BUFSIZ, read_stdin, write, lseek,
                                                  close, __SRD, 0);
static struct __file_bufio out = FDEV_SETUP_BUFIO(1, outbuf, BUFSIZ, read, write, lseek,
                                                   close, __SWR, __BLBF);
static char errbuf[1];
static struct __file_bufio err = FDEV_SETUP_BUFIO(2, errbuf, 1, read, write, lseek,
                                                   close, __SWR, 0);

FILE *const stdin = &in.xfile.cfile.file;
FILE *const stdout = &out.xfile.cfile.file;
FILE *const stderr = &err.xfile.cfile.file;

// exit() runs this (atexit): what the program printed without a newline
// still reaches its descriptor.
static void
flush_std(void)
{
  fflush(stdout);
  fflush(stderr);
}

// envp: the environment execve passed (an empty one from exec).
void __attribute__((noreturn))
__posix_start(int argc, char **argv, char **envp)
{
  environ = envp;
  atexit(flush_std);
  __libc_init_array();
  exit(main(argc, argv, environ));
}
