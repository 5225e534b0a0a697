// kflags.h: the kernel's open/fcntl flag bits (values in kflags.c).
#pragma once

struct kflags {
  int rdonly, wronly, rdwr;
  int create, trunc, append, excl;
  int nonblock;
};
extern const struct kflags __xv6_kflags;
