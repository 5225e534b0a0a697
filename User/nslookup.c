// nslookup: ask the DNS server for a name's addresses: its A (IPv4) and
// AAAA (IPv6) records, or only one kind with -type.
//
//   nslookup [-type=A|AAAA] NAME [SERVER]
//
// SERVER (an IPv4 or IPv6 address, or a name) defaults to the one learned
// through DHCP, or without one the IPv6 one learned from DHCPv6 or the
// router (see ifconfig).
#include "kernel/types.h"
#include "user/user.h"
#include "user/socket.h"
#include "user/netdb.h"

// What went wrong, in DNS terms where there are some.
static const char*
detail(int err)
{
  switch(err){
  case HOST_NOT_FOUND: return " (NXDOMAIN)";
  case TRY_AGAIN: return " (SERVFAIL)";
  }
  return "";
}

static void
usage(void)
{
  fprintf(2, "usage: nslookup [-type=A|AAAA] NAME [SERVER]\n");
  exit(2);
}

// Use server (a literal, or a name's first IPv4 address) for the queries.
static void
setserver(const char *server)
{
  struct sockaddr_in6 sa;
  struct hostent *h;
  socklen_t len;
  in_addr_t a;

  if(inet_literal(server, 53, &sa, &len) == 0){
    if(sa.sin6_family == AF_INET6)
      res_setserver6(&sa);
    else
      res_setserver(((struct sockaddr_in*)&sa)->sin_addr.s_addr);
    return;
  }
  if((h = gethostbyname(server)) == 0){
    fprintf(2, "nslookup: server %s: %s\n", server, hstrerror(h_errno));
    exit(1);
  }
  memmove(&a, h->h_addr, 4);
  res_setserver(a);
}

// Print name's records of family af. 1 if there were some, else 0 with
// *err the resolver's reason.
static int
show(const char *name, int af, int *aliases_done, int *err)
{
  static char text[INET6_ADDRSTRLEN];
  struct hostent *h;
  int i;

  if((h = gethostbyname2(name, af)) == 0){
    *err = h_errno;
    return 0;
  }
  for(i = 0; !*aliases_done && h->h_aliases[i]; i++)
    printf("%s\tcanonical name = %s\n", h->h_aliases[i],
           h->h_aliases[i+1] ? h->h_aliases[i+1] : h->h_name);
  *aliases_done = 1;
  for(i = 0; h->h_addr_list[i]; i++){
    inet_ntop(af, h->h_addr_list[i], text, sizeof(text));
    printf("Name:    %s\nAddress: %s\n", h->h_name, text);
  }
  return 1;
}

int
main(int argc, char *argv[])
{
  static struct sockaddr_in6 srv;
  static char text[INET6_ADDRSTRLEN];
  int fams[2] = { AF_INET, AF_INET6 }, nfam = 2, i = 1, f, found = 0, done = 0, err = 0;
  const char *name;
  socklen_t len;

  if(argc > 1 && strncmp(argv[1], "-type=", 6) == 0){
    if(strcmp(argv[1] + 6, "A") == 0 || strcmp(argv[1] + 6, "a") == 0)
      nfam = 1;
    else if(strcmp(argv[1] + 6, "AAAA") == 0 || strcmp(argv[1] + 6, "aaaa") == 0)
      fams[0] = AF_INET6, nfam = 1;
    else {
      fprintf(2, "nslookup: unsupported type %s (A or AAAA)\n", argv[1] + 6);
      usage();
    }
    i++;
  }
  if(argc - i < 1 || argc - i > 2 || argv[i][0] == '-')
    usage();
  name = argv[i];
  if(argc - i == 2)
    setserver(argv[i + 1]);
  if(res_getserver6(&srv, &len) < 0){
    fprintf(2, "nslookup: %s\n", hstrerror(h_errno));
    exit(1);
  }
  if(srv.sin6_family == AF_INET6)
    inet_ntop(AF_INET6, &srv.sin6_addr, text, sizeof(text));
  else
    inet_ntop(AF_INET, &((struct sockaddr_in*)&srv)->sin_addr, text, sizeof(text));
  printf("Server:  %s\nAddress: %s#53\n\n", text, text);
  for(f = 0; f < nfam; f++){
    if(show(name, fams[f], &done, &err))
      found = 1;
    else if(err != NO_DATA)
      break;                  // no such name, or the server failed: asking again won't help
  }
  if(found)
    return 0;
  if(err == NO_DATA && nfam == 2)
    fprintf(2, "nslookup: %s: name has no A or AAAA record\n", name);
  else
    fprintf(2, "nslookup: %s: %s%s\n", name, hstrerror(err), detail(err));
  exit(1);
}
