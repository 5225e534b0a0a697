// open() flags: xv6-riscv's, then three POSIX ones (the POSIX library maps
// its O_ names onto these: User/posix/lib/unistd.c).
#pragma once

#define O_RDONLY  0x000
#define O_WRONLY  0x001
#define O_RDWR    0x002
#define O_CREATE  0x200
#define O_TRUNC   0x400
#define O_APPEND  0x008   // every write goes to the end of the file
#define O_EXCL    0x080   // with O_CREATE: fail if the file exists
#define O_CLOEXEC 0x80000 // the descriptor's FD_CLOEXEC: exec closes it (SOCK_CLOEXEC's bit)
