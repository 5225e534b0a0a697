// sh: the shell. Reads a line, parses it into a tree of commands and runs the
// tree in a child process. The grammar is xv6's:
//   list     := pipeline [ (';' | '&') [ list ] ]    '&' runs in the background
//   pipeline := command [ '|' pipeline ]
//   command  := '(' list ')' { redir }  |  { word | redir }
//   redir    := ('<' | '>' | '>>') word
// plus quotes ('...' or "...") around words and '#' comments. `cd` and `exit`
// are built in; a program name without '/' is also looked for in "/".
// `sh -c LINE` runs one line and exits with its status (popen, system).
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "user/user.h"

#define LINESZ 512
#define NNODE 64

enum { EXEC, REDIR, PIPE, LIST, BACK };

struct node {
  int kind;
  struct node *left, *right;  // PIPE, LIST: both; REDIR, BACK: left only
  int argc;                   // EXEC
  char *argv[MAXARG+1];
  char *file;                 // REDIR: open file with mode as descriptor fd
  int mode, fd;
  int append;                 // REDIR: start writing at the end (>>)
};

// Parser state, reset for each line. Words are copied into words[] so the line
// itself is never modified.
static struct node nodes[NNODE];
static int nnodes;
static char words[LINESZ*2];
static char *wordend;
static char *pos;             // next unread character of the line
static char *err;             // first syntax error, or 0

static const char symbols[] = "<>|&;()";
static const char blanks[] = " \t\r\n\v";

static struct node *parselist(void);
__attribute__((noreturn)) static void run(struct node *n);
static int builtin(struct node *n);

static struct node*
mknode(int kind, struct node *left, struct node *right)
{
  struct node *n;

  if(nnodes == NNODE){
    err = "line too complex";
    return 0;
  }
  n = &nodes[nnodes++];
  memset(n, 0, sizeof(*n));
  n->kind = kind;
  n->left = left;
  n->right = right;
  return n;
}

// Skip blanks (and a comment) and return the next character, not consuming it.
static char
peek(void)
{
  while(*pos && strchr(blanks, *pos))
    pos++;
  if(*pos == '#')
    pos += strlen(pos);
  return *pos;
}

// Read one word, honouring quotes, into words[]; return its start.
static char*
readword(void)
{
  char *w = wordend, q = 0;

  for(; *pos; pos++){
    if(q && *pos == q)
      q = 0;
    else if(q)
      *wordend++ = *pos;
    else if(*pos == '\'' || *pos == '"')
      q = *pos;
    else if(strchr(blanks, *pos) || strchr(symbols, *pos))
      break;
    else
      *wordend++ = *pos;
  }
  if(q)
    err = "unterminated quote";
  *wordend++ = 0;
  return w;
}

// Parse one redirection (pos is at '<' or '>') applying to command in.
static struct node*
parseredir(struct node *in)
{
  struct node *n;
  char op = *pos++;
  int append = 0;

  if(op == '>' && *pos == '>'){
    append = 1;
    pos++;
  }
  if(peek() == 0 || strchr(symbols, *pos)){
    err = "missing file name after redirection";
    return 0;
  }
  if((n = mknode(REDIR, in, 0)) == 0)
    return 0;
  n->file = readword();
  n->append = append;
  if(op == '<'){
    n->mode = O_RDONLY;
    n->fd = 0;
  } else {
    n->mode = append ? O_RDWR|O_CREATE : O_WRONLY|O_CREATE|O_TRUNC;
    n->fd = 1;
  }
  return n;
}

// command := '(' list ')' { redir } | { word | redir }
static struct node*
parsecmd(void)
{
  struct node *n, *ex;
  char c;

  if(peek() == '('){
    pos++;
    if((n = parselist()) == 0)
      return 0;
    if(peek() != ')'){
      err = "missing )";
      return 0;
    }
    pos++;
    while(n && (peek() == '<' || peek() == '>'))
      n = parseredir(n);
    return n;
  }
  if((n = ex = mknode(EXEC, 0, 0)) == 0)
    return 0;
  while(n && (c = peek()) != 0 && !strchr("|&;()", c)){
    if(c == '<' || c == '>'){
      n = parseredir(n);
    } else if(ex->argc == MAXARG){
      err = "too many arguments";
      return 0;
    } else {
      ex->argv[ex->argc++] = readword();
    }
  }
  if(n && peek() == '(')
    err = "unexpected (";
  return n;
}

static int
isempty(struct node *n)
{
  return n->kind == EXEC && n->argc == 0;
}

// pipeline := command [ '|' pipeline ]
static struct node*
parsepipe(void)
{
  struct node *n, *rest;

  if((n = parsecmd()) == 0)
    return 0;
  if(peek() != '|')
    return n;
  pos++;
  if((rest = parsepipe()) == 0)
    return 0;
  if(isempty(n) || isempty(rest)){
    err = "empty command in a pipeline";
    return 0;
  }
  return mknode(PIPE, n, rest);
}

// list := pipeline [ (';' | '&') [ list ] ]
static struct node*
parselist(void)
{
  struct node *n, *rest;
  char c;

  if((n = parsepipe()) == 0)
    return 0;
  c = peek();
  if(c != ';' && c != '&')
    return n;
  pos++;
  if(c == '&' && (n = mknode(BACK, n, 0)) == 0)
    return 0;
  c = peek();
  if(c == 0 || c == ')')
    return n;
  if((rest = parselist()) == 0)
    return 0;
  return mknode(LIST, n, rest);
}

// Parse a whole line; 0 (with err set) on a syntax error.
static struct node*
parseline(char *line)
{
  struct node *n;

  nnodes = 0;
  wordend = words;
  err = 0;
  pos = line;
  n = parselist();
  if(n && !err && peek() != 0)
    err = "unexpected text";
  if(err){
    fprintf(2, "sh: syntax error: %s\n", err);
    return 0;
  }
  return n;
}

static int
fork1(void)
{
  int pid = fork();

  if(pid < 0)
    fprintf(2, "sh: fork failed\n");
  return pid;
}

// Replace this process with the program argv[0].
static void
runprogram(char **argv)
{
  char path[MAXPATH];

  exec(argv[0], argv);
  if(!strchr(argv[0], '/') && strlen(argv[0]) + 2 <= sizeof(path)){
    path[0] = '/';
    strcpy(path + 1, argv[0]);
    exec(path, argv);
  }
  fprintf(2, "exec %s failed\n", argv[0]);
}

// Open n->file as descriptor n->fd (the lowest free one, after the close).
static void
redirect(struct node *n)
{
  char buf[512];

  close(n->fd);
  if(open(n->file, n->mode) != n->fd){
    fprintf(2, "open %s failed\n", n->file);
    exit(1);
  }
  if(n->append){
    // no lseek in xv6: reading to the end moves the offset there
    while(read(n->fd, buf, sizeof(buf)) > 0)
      ;
  }
}

// Run one end of a pipe in a child with descriptor fd taken from p[end].
static int
pipeend(struct node *n, int *p, int end, int fd)
{
  int pid = fork1();

  if(pid == 0){
    close(fd);
    dup(p[end]);
    close(p[0]);
    close(p[1]);
    run(n);
  }
  return pid;
}

// Run the tree in this (child) process; never returns.
__attribute__((noreturn)) static void
run(struct node *n)
{
  int p[2], st = 0;

  switch(n->kind){
  case EXEC:
    if(n->argc == 0)
      exit(0);
    runprogram(n->argv);
    exit(1);
  case REDIR:
    redirect(n);
    run(n->left);
  case PIPE:
    if(pipe(p) < 0){
      fprintf(2, "sh: pipe failed\n");
      exit(1);
    }
    if(pipeend(n->left, p, 1, 1) < 0 || pipeend(n->right, p, 0, 0) < 0)
      exit(1);
    close(p[0]);
    close(p[1]);
    wait(0);
    wait(&st);
    exit(st);
  case LIST:
    if(!builtin(n->left)){        // (cd d; ls) changes this subshell's directory
      if(fork1() == 0)
        run(n->left);
      wait(0);
    }
    run(n->right);
  case BACK:
    if(fork1() == 0){
      signal(SIGINT, (sighandler_t)SIG_IGN);   // ^C is for the foreground
      run(n->left);
    }
    exit(0);
  }
  exit(1);
}

// cd and exit must run in the shell itself; 1 if n was one of them.
static int
builtin(struct node *n)
{
  if(n->kind != EXEC || n->argc == 0)
    return 0;
  if(strcmp(n->argv[0], "cd") == 0){
    if(chdir(n->argc > 1 ? n->argv[1] : "/") < 0)
      fprintf(2, "cannot cd %s\n", n->argc > 1 ? n->argv[1] : "/");
    return 1;
  }
  if(strcmp(n->argv[0], "exit") == 0)
    exit(n->argc > 1 ? atoi(n->argv[1]) : 0);
  return 0;
}

// Run a parsed line. The parts of a top-level list run one after another from
// the shell itself, so that `mkdir d; cd d` changes the shell's directory.
static void
runline(struct node *n)
{
  if(n->kind == LIST){
    runline(n->left);
    runline(n->right);
    return;
  }
  if(builtin(n))
    return;
  if(fork1() == 0){
    signal(SIGINT, (sighandler_t)SIG_DFL);   // ^C ends the command, not the shell
    run(n);
  }
  wait(0);
}

int
main(int argc, char *argv[])
{
  static char line[LINESZ];
  struct node *n;
  int fd;

  if(argc == 3 && strcmp(argv[1], "-c") == 0){
    if(strlen(argv[2]) >= LINESZ || (n = parseline(strcpy(line, argv[2]))) == 0)
      exit(2);
    if(n->kind != LIST)
      run(n);            // one command or pipeline: its status is ours
    runline(n);
    exit(0);
  }
  if(argc != 1){
    fprintf(2, "usage: sh [-c line]\n");
    exit(2);
  }

  // make sure descriptors 0, 1 and 2 are open
  while((fd = open("console", O_RDWR)) >= 0){
    if(fd >= 3){
      close(fd);
      break;
    }
  }
  signal(SIGINT, (sighandler_t)SIG_IGN);
  for(;;){
    fprintf(2, "$ ");
    gets(line, sizeof(line));
    if(line[0] == 0)
      break;             // end of input
    if((n = parseline(line)) != 0)
      runline(n);
  }
  return 0;
}
