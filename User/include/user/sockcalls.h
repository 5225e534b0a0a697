// sockcalls.h: the socket calls whose C declarations are the same in both
// user worlds, declared once for xv6-style programs (user/socket.h) and POSIX
// programs (<sys/socket.h>). The calls that move data (send, recv, ...) differ:
// int lengths in one world, size_t and ssize_t in the other, so each header
// declares its own. Needs user/sockaddr.h's types first.
#pragma once

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);   // SOCK_NONBLOCK, SOCK_CLOEXEC
int connect(int fd, const struct sockaddr *addr, socklen_t len);
int shutdown(int fd, int how);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockopt(int fd, int level, int name, void *val, socklen_t *len);
