// lwip_mssguard.c: keeps lwIP 2.1.3's tcp_write() assertions on segment size
// ("mss_local is too small", "inconsistent oversize vs. space") from firing on
// what a peer sends.
//
// Why: tcp_write() appends to the last unsent segment and asserts that the
// segment (with its options) fits in mss_local = min(pcb->mss, snd_wnd_max / 2),
// or pcb->mss while that minimum is 0. Both terms are the peer's to move:
//  - lwIP takes an MSS option from any segment, not only a SYN (tcp_parseopt
//    runs for every segment), so an ACK carrying "MSS 1" on an open connection
//    shrinks pcb->mss under the data already queued;
//  - a peer that advertised a window of 0 or 1 bytes (snd_wnd_max / 2 == 0, so
//    segments are sized to pcb->mss) and then opens it a little (8 bytes)
//    shrinks mss_local under a segment queued meanwhile.
// The next write then panics the kernel, on that assertion or on the one
// after it ("inconsistent oversize vs. space": the room tcp_write left at the
// end of the segment's last pbuf no longer fits either). Found by tools/fuzz
// (Tests/fuzz-corpus/regress/crash-2cf7f5117efd: SYN with window 0, a
// request, then window 8, and the echo server writes its reply).
//
// What: RFC 9293 (3.7.1) puts the MSS option in SYN segments only, and a
// receiver uses it from there, as Linux does: the option in any other segment
// becomes NOPs before lwIP parses it (lwip_mss_option_guard, from tcp_input's
// hook). And right before each tcp_write the socket layer (and the fuzz
// harness's echo server) calls lwip_tcp_write_ready, which raises snd_wnd_max
// so that mss_local again covers the last unsent segment and its spare room.
// lwIP reads snd_wnd_max nowhere else, so this only lets new segments be as
// large as the one lwIP already queued. Were pcb->mss itself below that
// segment, no write is allowed until the segment has gone (the caller waits as
// for a full buffer).
//
// Every function runs with the network lock held.
#include "lwip/opt.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/tcp.h"
#include "lwip_glue.h"

#define OPT_EOL  0
#define OPT_NOP  1
#define OPT_MSS  2

static uint64_t mss_options_ignored;

// Byte i of the options: the first opt1len follow the header, the rest are in
// opt2 (tcp_input's split when the header spans two pbufs).
static u8_t *
opt_byte(struct tcp_hdr *hdr, u16_t opt1len, u8_t *opt2, u16_t i)
{
  return i < opt1len ? (u8_t *)hdr + TCP_HLEN + i : opt2 + (i - opt1len);
}

// Called by tcp_input (LWIP_HOOK_TCP_INPACKET_PCB) for each segment that found
// a pcb, with hdr in host byte order and the checksum already checked.
void
lwip_mss_option_guard(struct tcp_hdr *hdr, u16_t optlen, u16_t opt1len, u8_t *opt2)
{
  u16_t i = 0;
  u8_t kind, len;

  if(TCPH_FLAGS(hdr) & TCP_SYN)
    return;
  if(opt2 == NULL && optlen > opt1len)
    return;   // not how tcp_input splits them: leave the options alone
  while(i < optlen){
    kind = *opt_byte(hdr, opt1len, opt2, i);
    if(kind == OPT_EOL)
      return;
    if(kind == OPT_NOP){
      i++;
      continue;
    }
    if(i + 1 >= optlen)
      return;
    len = *opt_byte(hdr, opt1len, opt2, i + 1);
    if(len < 2 || i + len > optlen)
      return;   // malformed: lwIP stops parsing here too
    if(kind == OPT_MSS){
      for(u16_t k = 0; k < len; k++)
        *opt_byte(hdr, opt1len, opt2, i + k) = OPT_NOP;
      mss_options_ignored++;
    }
    i += len;
  }
}

// 1 if tcp_write(pcb, ...) may be called now, after making sure lwIP's
// segment-size bound covers the last unsent segment; 0 if it cannot.
int
lwip_tcp_write_ready(struct tcp_pcb *pcb)
{
  struct tcp_seg *last;
  u32_t need, half;

  if(pcb->unsent == NULL)
    return 1;
  for(last = pcb->unsent; last->next != NULL; last = last->next)
    ;
  // tcp_write's LWIP_TCP_OPT_LENGTH_SEGMENT, as it is without an options hook;
  // and the room left in the segment's last pbuf, which tcp_write also asserts
  // fits ("inconsistent oversize vs. space")
  need = (u32_t)last->len + LWIP_TCP_OPT_LENGTH(last->flags);
#if TCP_OVERSIZE
  need += pcb->unsent_oversize;
#endif
  if(pcb->mss < need)
    return 0;   // the MSS shrank under a queued segment (the option guard prevents it)
  half = pcb->snd_wnd_max / 2;
  if(half != 0 && half < need)
    pcb->snd_wnd_max = (tcpwnd_size_t)(2 * need);
  return 1;
}

// MSS options removed from segments that were not SYNs (ifconfig shows them).
uint64_t
lwip_mss_options_ignored(void)
{
  return mss_options_ignored;
}
