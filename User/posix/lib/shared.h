// shared.h: what the user library's shared files (User/lib/resolv.c
// and inet.c) use, given to them in the POSIX world. Those files are compiled a second time,
// with XV6NET_POSIX defined, into the POSIX library, so their logic lives once.
#pragma once
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include "kernel/types.h"      // uint, uchar: the names the shared code uses

// The resolver's extras stay out of a POSIX program's name space, so a
// program may have a dial() or set_rcvtimeo() of its own.
#define dial          __xv6net_dial
#define set_rcvtimeo  __xv6net_set_rcvtimeo
#define res_setserver __xv6net_res_setserver
#define res_getserver __xv6net_res_getserver
#define res_setserver6 __xv6net_res_setserver6
#define res_getserver6 __xv6net_res_getserver6
#define res_prefer_ipv6 __xv6net_res_prefer_ipv6
#define inet_hostport __xv6net_inet_hostport
#define inet_literal  __xv6net_inet_literal
#define inet_zone     __xv6net_inet_zone
#define inet_sockaddr_text __xv6net_inet_sockaddr_text
#include "user/netdb.h"        // with the extras: NO_SERVER, BAD_NAME, ...

#include "calls.h"             // the raw system calls (uptime)
#define uptime()      __xv6_uptime()
// netinfo(what, buf, index): the socket layer's call, errno set on failure
// (selectors in kernel/sockabi.h).
int netinfo(int what, void *buf, int index);
