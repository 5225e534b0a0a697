// <stdio.h> for POSIX programs: the C library's, plus the POSIX 2008 functions
// the C library (1.8) lacks (User/posix/lib/lines.c): getline, getdelim, dprintf;
// and popen/pclose over the shell's -c (User/posix/lib/shell.c).
#pragma once
#include_next <stdio.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

ssize_t getdelim(char **lineptr, size_t *n, int delim, FILE *f);
ssize_t getline(char **lineptr, size_t *n, FILE *f);
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, __builtin_va_list ap);
FILE *popen(const char *command, const char *mode);   // mode "r" or "w"
int pclose(FILE *f);

#ifdef __cplusplus
}
#endif
