// socket.h: the kernel's side of the BSD socket calls (Kernel/sysnet.c and
// Kernel/sockfile.c) and the Swift socket layer's entry points
// (CShims/include/socket_exports.h).
// Constants (sockabi.h) and errno values (errnum.h) are Linux's, shared with
// both user worlds and Swift (CShims/include/abi/).
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

// The user's struct sockaddr_in6: 28 bytes (SOCKADDR_IN6_SIZE), port and
// address in network order. Linux takes one without scope_id too (24 bytes,
// RFC 2133's layout): the scope is 0 then.
struct ksockaddr_in6 {
  uint16 family;
  uint16 port;
  uint32 flowinfo;
  uint8  addr[16];
  uint32 scope_id;
};
#define SIN6_LEN_RFC2133 24
// Linux's bound on any address a program passes: sizeof(struct sockaddr_storage).
#define SOCKADDR_MAX 128

// The Swift socket layer's entry points (sock_create, sock_send, ...),
// declared once for C and checked against the Swift by its compiler.
#include "socket_exports.h"

// netinfo(what, buf, index): the NETINFO_ selectors are in sockabi.h.
