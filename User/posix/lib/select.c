// select.c: select() over poll() (system call 44, from the poll/select piece
// of issue 12: before it is merged the kernel refuses the call). Each fd in
// the sets becomes one pollfd; what poll reports is put back into the sets.
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/select.h>
#include "calls.h"

int
poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
  if(nfds > INT_MAX){
    errno = EINVAL;
    return -1;
  }
  return __xv6_ret(__xv6_poll(fds, nfds, timeout_ms));
}

// A struct timeval as poll's milliseconds (rounded up; -1 waits for ever).
static int
timeout_ms(const struct timeval *tv)
{
  long long ms;

  if(tv == 0)
    return -1;
  ms = (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
  return ms > INT_MAX ? INT_MAX : (int)ms;
}

int
select(int n, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
  struct pollfd pfd[FD_SETSIZE];
  int fd, count = 0, ready = 0, r, i;

  if(n < 0 || n > FD_SETSIZE ||
     (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000))){
    errno = EINVAL;
    return -1;
  }
  for(fd = 0; fd < n; fd++){
    short ev = (rd && FD_ISSET(fd, rd) ? POLLIN : 0) | (wr && FD_ISSET(fd, wr) ? POLLOUT : 0) |
               (ex && FD_ISSET(fd, ex) ? POLLPRI : 0);
    if(ev){
      pfd[count].fd = fd;
      pfd[count].events = ev;
      pfd[count++].revents = 0;
    }
  }
  if((r = poll(pfd, count, timeout_ms(tv))) < 0)
    return -1;
  for(i = 0; i < count; i++)
    if(pfd[i].revents & POLLNVAL){
      errno = EBADF;
      return -1;
    }
  if(rd) FD_ZERO(rd);
  if(wr) FD_ZERO(wr);
  if(ex) FD_ZERO(ex);
  for(i = 0; i < count && r > 0; i++){
    short got = pfd[i].revents, asked = pfd[i].events;
    // end of file and errors make a descriptor readable (read says which)
    if((asked & POLLIN) && (got & (POLLIN | POLLHUP | POLLERR))){
      FD_SET(pfd[i].fd, rd);
      ready++;
    }
    if((asked & POLLOUT) && (got & (POLLOUT | POLLERR))){
      FD_SET(pfd[i].fd, wr);
      ready++;
    }
    if((asked & POLLPRI) && (got & POLLPRI)){
      FD_SET(pfd[i].fd, ex);
      ready++;
    }
  }
  return ready;
}
