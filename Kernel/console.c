// console.c: the console device (major CONSOLE) on top of the UART.
// Input is line-edited here: backspace/DEL erase a character, ^U the line,
// ^D ends input (read returns 0 at the start of a line), ^P lists processes,
// ^C drops the line and sends SIGINT to the foreground (signal.c says which).
// read() returns a whole line at a time; write() goes out through uartputs.
#include "types.h"
#include "param.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "fs.h"
#include "file.h"
#include "memlayout.h"
#include "riscv.h"
#include "defs.h"
#include "proc.h"
#include "poll.h"
#include "errnum.h"

#define CTRL(x)   ((x) - '@')
#define BACKSPACE 0x100   // consputc: erase the previous character on screen

// Kernel output (printf, echo): synchronous.
void
consputc(int c)
{
  if(c == BACKSPACE){
    uartputc_sync('\b');
    uartputc_sync(' ');
    uartputc_sync('\b');
  } else {
    uartputc_sync(c);
  }
}

#define INPUT_BUF 128
static struct {
  struct spinlock lock;
  char buf[INPUT_BUF];
  uint r;  // next byte read() returns
  uint w;  // end of the completed lines read() may take
  uint e;  // end of the line being edited
} cons;

// One write() reaches the screen whole: processes on other harts writing at
// the same time wait (a sleeplock, since uartputs may sleep on a full buffer).
static struct sleeplock writelock;

// write(): user bytes to the UART, in chunks copied out of user space.
static int
consolewrite(int user_src, uint64 src, int n)
{
  char chunk[64];
  int done = 0;

  acquiresleep(&writelock);
  while(done < n){
    int m = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
    if(either_copyin(chunk, user_src, src + done, m) == -1)
      break;
    uartputs(chunk, m);
    done += m;
  }
  releasesleep(&writelock);
  if(done == 0 && n > 0)
    return -1;   // a bad buffer is an error, not "0 written"
  return done;
}

// read(): up to n bytes, stopping after a newline. Sleeps until a line is done.
static int
consoleread(int user_dst, uint64 dst, int n)
{
  int want = n;

  acquire(&cons.lock);
  while(n > 0){
    while(cons.r == cons.w){
      if(interrupted(myproc())){
        release(&cons.lock);
        return n < want ? want - n : -EINTR;   // (the bytes read are kept)
      }
      sleep_killable(&cons.r, &cons.lock);
    }
    int c = cons.buf[cons.r++ % INPUT_BUF];
    if(c == CTRL('D')){
      // end of file. If some bytes were read already, keep ^D for next time
      // so that read() returns 0 then.
      if(n < want)
        cons.r--;
      break;
    }
    char cbuf = c;
    if(either_copyout(user_dst, dst, &cbuf, 1) == -1){
      cons.r--;   // not delivered: keep it for the next read
      if(n == want){
        release(&cons.lock);
        return -1;
      }
      break;
    }
    dst++;
    n--;
    if(c == '\n')
      break;
  }
  release(&cons.lock);
  return want - n;
}

// Echo of a typed key: after what processes queued for the screen before it,
// never inside one of their writes (see uart_sync_begin).
static void
echo(int c)
{
  uart_sync_begin();
  consputc(c);
  uart_sync_end();
}

// Editing keys; returns 1 if c was one of them.
static int
console_edit(int c)
{
  switch(c){
  case CTRL('P'):
    procdump();
    return 1;
  case CTRL('U'):
    while(cons.e != cons.w && cons.buf[(cons.e - 1) % INPUT_BUF] != '\n'){
      cons.e--;
      echo(BACKSPACE);
    }
    return 1;
  case CTRL('H'):
  case '\x7f':
    if(cons.e != cons.w){
      cons.e--;
      echo(BACKSPACE);
    }
    return 1;
  }
  return 0;
}

// A byte arrived from the UART (interrupt context).
void
consoleintr(int c)
{
  acquire(&cons.lock);
  if(c == CTRL('C')){
    cons.e = cons.w;   // the line being typed is dropped
    echo('^');
    echo('C');
    echo('\n');
    release(&cons.lock);
    signal_console_intr();
    return;
  }
  if(!console_edit(c) && c != 0 && cons.e - cons.r < INPUT_BUF){
    c = (c == '\r') ? '\n' : c;
    echo(c);
    cons.buf[cons.e++ % INPUT_BUF] = c;
    if(c == '\n' || c == CTRL('D') || cons.e - cons.r == INPUT_BUF){
      // a line (or end of file) is complete: let read() have it.
      cons.w = cons.e;
      wakeup(&cons.r);
      poll_notify();
    }
  }
  release(&cons.lock);
}

// poll: readable once read() has a line (or ^D) to return; output never
// waits for long, so always writable.
int
consolepoll(void)
{
  int r = POLLOUT | POLLWRNORM;

  acquire(&cons.lock);
  if(cons.r != cons.w)
    r |= POLLIN | POLLRDNORM;
  release(&cons.lock);
  return r;
}

void
consoleinit(void)
{
  initlock(&cons.lock, "cons");
  initsleeplock(&writelock, "conswrite");
  uartinit();
  devsw[CONSOLE].read = consoleread;
  devsw[CONSOLE].write = consolewrite;
  devsw[CONSOLE].poll = consolepoll;
}
