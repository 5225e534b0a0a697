// grep: print the lines of each file (or standard input) that match a simple
// regular expression: c (a literal), . (any character), c* (zero or more of c),
// ^ (start of line) and $ (end of line), as in xv6's grep.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[2048];

static int matchat(const char *re, const char *text);

// Does the single-character pattern c match character t?
static int
onechar(char c, char t)
{
  return t != 0 && (c == '.' || c == t);
}

// Match c* followed by re at text: try the shortest run of c first.
static int
matchrun(char c, const char *re, const char *text)
{
  for(;;){
    if(matchat(re, text))
      return 1;
    if(!onechar(c, *text))
      return 0;
    text++;
  }
}

// Does re match a prefix of text?
static int
matchat(const char *re, const char *text)
{
  for(;;){
    if(re[0] == 0)
      return 1;
    if(re[1] == '*')
      return matchrun(re[0], re + 2, text);
    if(re[0] == '$' && re[1] == 0)
      return *text == 0;
    if(!onechar(re[0], *text))
      return 0;
    re++;
    text++;
  }
}

// Does re match anywhere in text?
static int
match(const char *re, const char *text)
{
  if(re[0] == '^')
    return matchat(re + 1, text);
  do {
    if(matchat(re, text))
      return 1;
  } while(*text++ != 0);
  return 0;
}

// Read fd, printing every complete line that matches (a final line without a
// newline is checked too).
static void
grep(const char *re, int fd)
{
  int have = 0, n;
  char *line, *nl;

  while((n = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0){
    have += n;
    buf[have] = 0;
    line = buf;
    while((nl = strchr(line, '\n')) != 0){
      *nl = 0;
      if(match(re, line)){
        *nl = '\n';
        write(1, line, nl + 1 - line);
      }
      line = nl + 1;
    }
    have -= line - buf;
    if(have == sizeof(buf) - 1)
      have = 0;            // an over-long line: drop it
    else if(have > 0)
      memmove(buf, line, have);
  }
  if(have > 0){
    buf[have] = 0;
    if(match(re, buf))
      printf("%s\n", buf);
  }
}

int
main(int argc, char *argv[])
{
  int i, fd;

  if(argc < 2){
    fprintf(2, "usage: grep pattern [file ...]\n");
    exit(1);
  }
  if(argc == 2){
    grep(argv[1], 0);
    return 0;
  }
  for(i = 2; i < argc; i++){
    if((fd = open(argv[i], O_RDONLY)) < 0){
      fprintf(2, "grep: cannot open %s\n", argv[i]);
      exit(1);
    }
    grep(argv[1], fd);
    close(fd);
  }
  return 0;
}
