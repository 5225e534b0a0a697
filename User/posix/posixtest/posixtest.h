// posixtest: a POSIX program, written as for any Unix, that checks the POSIX
// layer (the C library + User/posix/lib) from the guest. Run by
// Tests/integration/test_posix.py. Also the example of a program of several
// files (User/posix/NAME/*.c becomes NAME in fs.img).
//
//   posixtest [-v] local                 library and file checks; "ALL n CHECKS PASSED"
//   posixtest [-v] [-n count] tcp HOST PORT WORD
//                                        send WORD count times to an echo-like
//                                        server, print each reply line
// Exit status: 0 when all went well, 1 on a failed check or a network error
// (with perror's message), 2 for bad usage.
#pragma once

// Count a check; print it if it failed (or always, with -v).
#define CHECK(cond, what) check((cond) != 0, what, __FILE__, __LINE__)
void check(int ok, const char *what, const char *file, int line);
extern int verbose, checks, failures;

void strings_and_numbers(void);   // text.c
void files(void);                 // files.c
void redirect(void);
void vectors(void);
void timing(void);                // procs.c
void processes(void);
void sockets_local(void);         // net.c
void signals(void);               // signals.c
void system_calls_built(void);    // system.c
int tcp(const char *host, const char *port, const char *word, int count);
