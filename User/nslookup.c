// nslookup: ask the DNS server for a name's IPv4 addresses.
//
//   nslookup NAME [SERVER]
//
// SERVER defaults to the one learned through DHCP (see ifconfig).
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

int
main(int argc, char *argv[])
{
  struct hostent *h;
  struct in_addr server;
  char text[INET_ADDRSTRLEN];
  int i;

  if(argc < 2 || argc > 3 || argv[1][0] == '-'){
    fprintf(2, "usage: nslookup NAME [SERVER]\n");
    exit(2);
  }
  if(argc == 3){
    if((h = gethostbyname(argv[2])) == 0){
      fprintf(2, "nslookup: server %s: %s\n", argv[2], hstrerror(h_errno));
      exit(1);
    }
    memmove(&server, h->h_addr, 4);
    res_setserver(server.s_addr);
  }
  if(res_getserver(&server.s_addr) < 0){
    fprintf(2, "nslookup: %s\n", hstrerror(h_errno));
    exit(1);
  }
  inet_ntop(AF_INET, &server, text, sizeof(text));
  printf("Server:  %s\nAddress: %s#53\n\n", text, text);
  if((h = gethostbyname(argv[1])) == 0){
    fprintf(2, "nslookup: %s: %s%s\n", argv[1], hstrerror(h_errno), detail(h_errno));
    exit(1);
  }
  for(i = 0; h->h_aliases[i]; i++)
    printf("%s\tcanonical name = %s\n", h->h_aliases[i],
           h->h_aliases[i+1] ? h->h_aliases[i+1] : h->h_name);
  for(i = 0; h->h_addr_list[i]; i++){
    inet_ntop(AF_INET, h->h_addr_list[i], text, sizeof(text));
    printf("Name:    %s\nAddress: %s\n", h->h_name, text);
  }
  return 0;
}
