// socket.h: the kernel's side of the BSD socket calls (Kernel/sysnet.c) and
// the Swift socket layer's entry points (Sources/Sockets/Exports.swift).
// Constants (sockabi.h) and errno values (errnum.h) are Linux's, shared with
// both user worlds.
#pragma once

#include "sockabi.h"   // AF_, SOCK_, IPPROTO_, SOL_/SO_, MSG_ numbers

#define O_NONBLOCK     0x800      // fcntl F_SETFL; SOCK_NONBLOCK is the same bit
#define F_GETFD        1
#define F_SETFD        2
#define F_GETFL        3
#define F_SETFL        4

#include "errnum.h"   // the errno values the C side returns itself

// The user's struct sockaddr_in: 16 bytes, port and address in network order.
struct ksockaddr_in {
  uint16 family;
  uint16 port;
  uint32 addr;
  uint8  zero[8];
};

// A socket is the Swift layer's object; C only passes its address around.
struct socket;
struct sock_info;
struct lsock_memstats;

// Sources/Sockets/Exports.swift. All return 0 (or a count) or -errno, and
// block per the socket's mode; ports are in host order, addresses in network order.
int  sock_create(int type, int nonblock, struct socket **out);
int  sock_create_raw(int protocol, int nonblock, struct socket **out);
int  sock_bind(struct socket*, uint32 addr, uint16 port);
int  sock_listen(struct socket*, int backlog);
int  sock_accept(struct socket*, struct socket **out, uint32 *addr, uint16 *port);
int  sock_connect(struct socket*, uint32 addr, uint16 port);
int  sock_send(struct socket*, uint64 src, uint32 len, int flags,
               int hasaddr, uint32 addr, uint16 port);
int  sock_recv(struct socket*, uint64 dst, uint32 len, int flags,
               uint32 *addr, uint16 *port);
int  sock_shutdown(struct socket*, int how);
int  sock_getname(struct socket*, int peer, uint32 *addr, uint16 *port);
int  sock_setopt(struct socket*, int level, int name, long value);
int  sock_getopt(struct socket*, int level, int name, long *value);
void sock_setnonblock(struct socket*, int on);
void sock_push(struct socket*);   // send what MSG_MORE sends queued
// readv / writev of a user iovec array on a UDP or raw socket (one datagram);
// -EOPNOTSUPP on a stream socket (its pieces go through sock_recv / sock_send).
int  sock_datagram_iov(struct socket*, int write, uint64 uiov, int iovcnt);
void sock_release(struct socket*);
int  sock_poll(struct socket*);   // POLL* bits ready now (kernel/poll.h)
int  sock_info(int index, struct sock_info *out);
void sock_memstats(struct lsock_memstats *out);

// netinfo(what, buf, index): the NETINFO_ selectors are in sockabi.h.
