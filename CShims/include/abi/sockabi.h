// CShims/include/abi/sockabi.h: the socket ABI's numbers (Linux's values),
// defined once for the kernel (Kernel/socket.h; Kernel/sockabi.h forwards
// here), the Swift socket layer (CShims/include/abi.h), xv6-style programs
// (user/socket.h, through "kernel/sockabi.h") and POSIX programs
// (User/posix/include/sys/socket.h, netinet/in.h, netinet/tcp.h).
// Only constants: no types, no errno values (errnum.h), no O_ flags, so any
// world's headers can include it beside their own.
#pragma once

// address and protocol families
#define AF_UNSPEC       0
#define AF_UNIX         1         // defined for programs; socket() refuses it (EAFNOSUPPORT)
#define AF_LOCAL        AF_UNIX
#define AF_INET         2
#define AF_INET6        10        // TCP, UDP and raw ICMPv6; an AF_INET6 socket also
                                  // carries IPv4 as ::ffff:a.b.c.d unless IPV6_V6ONLY
#define PF_UNSPEC       AF_UNSPEC
#define PF_UNIX         AF_UNIX
#define PF_LOCAL        AF_UNIX
#define PF_INET         AF_INET
#define PF_INET6        AF_INET6

// socket types, and flags or-ed into the type
#define SOCK_STREAM     1
#define SOCK_DGRAM      2
#define SOCK_RAW        3         // AF_INET with IPPROTO_ICMP: send ICMP messages,
                                  // receive whole IPv4 packets (IP header first);
                                  // AF_INET6 with IPPROTO_ICMPV6: send and receive
                                  // ICMPv6 messages (no IPv6 header; the kernel
                                  // fills in the checksum), as Linux does
#define SOCK_NONBLOCK   0x800     // the kernel's O_NONBLOCK bit, as in Linux
#define SOCK_CLOEXEC    0x80000   // socket(), accept4(): FD_CLOEXEC from the start

// protocols
#define IPPROTO_IP      0
#define IPPROTO_ICMP    1
#define IPPROTO_TCP     6
#define IPPROTO_UDP     17
#define IPPROTO_IPV6    41
#define IPPROTO_ICMPV6  58

// socket options: level SOL_SOCKET, and the TCP_ ones at level IPPROTO_TCP
#define SOL_SOCKET      1
#define SO_REUSEADDR    2
#define SO_TYPE         3
#define SO_ERROR        4
#define SO_BROADCAST    6         // not supported: ENOPROTOOPT
#define SO_SNDBUF       7         // bytes, as in effect (not doubled as Linux does):
#define SO_RCVBUF       8         //   see Sources/Sockets/Options.swift
#define SO_KEEPALIVE    9
#define SO_RCVTIMEO     20        // struct timeval (or an int of milliseconds)
#define SO_SNDTIMEO     21        // also bounds connect()
// level IPPROTO_IPV6
#define IPV6_UNICAST_HOPS 16      // int: hop limit of unicast packets (1..255, -1: default)
#define IPV6_V6ONLY     26        // int: 1 = IPv6 only; 0 (default) = IPv4 too, as mapped
#define TCP_NODELAY     1
#define TCP_KEEPIDLE    4         // seconds: 1..32767
#define TCP_KEEPINTVL   5         // seconds: 1..32767
#define TCP_KEEPCNT     6         // probes: 1..127

// send/recv flags
#define MSG_PEEK        0x2
#define MSG_DONTWAIT    0x40
#define MSG_NOSIGNAL    0x4000
#define MSG_MORE        0x8000    // TCP: more follows, don't push yet (the next send
                                  // without it, shutdown or close does; else within 0.5 s)

// fcntl F_GETFD / F_SETFD: exec closes the descriptor
#define FD_CLOEXEC      1

// shutdown(how)
#define SHUT_RD         0
#define SHUT_WR         1
#define SHUT_RDWR       2

// addresses and their text forms
#define INADDR_ANY       0x00000000u
#define INADDR_LOOPBACK  0x7f000001u   // host order: use htonl
#define INADDR_BROADCAST 0xffffffffu
#define INADDR_NONE      0xffffffffu
#define INET_ADDRSTRLEN  16
#define INET6_ADDRSTRLEN 46
#define SOCKADDR_IN6_SIZE 28     // struct sockaddr_in6 (Linux's layout)

// netinfo(what, buf, index), system call 42: what a program can learn about
// the network. The structures are in CShims/include (lwip_glue.h, lwip_sock.h).
#define NETINFO_IF      0         // struct netinfo
#define NETINFO_MEM     1         // struct lsock_memstats
#define NETINFO_SOCK    2         // struct sock_info of table slot index: 1 used, 0 free
#define NETINFO_CLOCK   3         // uint64: microseconds since boot (ping's RTT)
