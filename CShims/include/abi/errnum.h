// CShims/include/abi/errnum.h: error numbers, Linux's, defined once for the
// kernel (system calls return -errno; Kernel/errnum.h forwards here), the Swift
// socket layer (CShims/include/abi.h; SocketError's literals are checked
// against these by a host test) and user programs (errno, as
// "kernel/errnum.h"; User/include/user/socket.h; the POSIX layer maps them by
// name).
#pragma once

#define EPERM           1
#define ENOENT          2
#define ESRCH           3
#define EINTR           4
#define EIO             5
#define EBADF           9
#define EAGAIN          11
#define EWOULDBLOCK     EAGAIN
#define ENOMEM          12
#define EACCES          13
#define EFAULT          14
#define EBUSY           16   // the profiler is already running
#define EEXIST          17
#define ENODEV          19   // no such device (an interface past the last)
#define EINVAL          22
#define ENFILE          23
#define EMFILE          24
#define ENOSPC          28
#define ESPIPE          29
#define EMLINK          31
#define EPIPE           32
#define EDOM            33
#define ENOSYS          38
#define ENOTSOCK        88
#define EDESTADDRREQ    89
#define EMSGSIZE        90
#define EPROTOTYPE      91
#define ENOPROTOOPT     92
#define EPROTONOSUPPORT 93
#define EOPNOTSUPP      95
#define EAFNOSUPPORT    97
#define EADDRINUSE      98
#define EADDRNOTAVAIL   99
#define ENETUNREACH     101
#define ECONNABORTED    103
#define ECONNRESET      104
#define ENOBUFS         105
#define EISCONN         106
#define ENOTCONN        107
#define ETIMEDOUT       110
#define ECONNREFUSED    111
#define EHOSTUNREACH    113
#define EALREADY        114
#define EINPROGRESS     115
