// kflags.h: the kernel's open flags and fcntl commands and flags (values in
// kflags.c), for the layer's raw calls: the C library's names mean other numbers
// (O_) or, by chance, the same ones (F_), and neither is relied on.
#pragma once

struct kflags {
  int rdonly, wronly, rdwr;
  int create, trunc, append, excl;
  int nonblock, cloexec;            // O_NONBLOCK, O_CLOEXEC
  int fd_cloexec;                   // F_GETFD/F_SETFD's FD_CLOEXEC
  int getfd, setfd, getfl, setfl;   // fcntl commands
};
extern const struct kflags __xv6_kflags;
