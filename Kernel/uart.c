// uart.c: the 16550a serial port QEMU's virt machine puts at UART0 (irq 10),
// which is the console (-nographic connects it to the terminal).
// Output from processes goes through a transmit buffer, moved into the UART's
// 16-byte FIFO a FIFO-load at a time; the "transmit holding register empty"
// interrupt is enabled only while bytes wait for room (as Linux's 8250 driver
// does), since QEMU empties the FIFO at once and would otherwise interrupt
// after every byte. Kernel printf writes synchronously.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"

// 16550 registers, byte offsets from UART0 (see the 16550 data sheet).
enum {
  RHR = 0,              // receive holding register (read)
  THR = 0,              // transmit holding register (write)
  DLL = 0,              // divisor latch, low byte (when LCR_DLAB)
  DLM = 1,              // divisor latch, high byte (when LCR_DLAB)
  IER = 1,              // interrupt enable
  FCR = 2,              // FIFO control (write)
  ISR = 2,              // interrupt status (read)
  LCR = 3,              // line control
  LSR = 5,              // line status
};
#define IER_RX        (1 << 0)
#define IER_TX        (1 << 1)
#define FCR_ENABLE    (1 << 0)
#define FCR_CLEAR     (3 << 1)   // clear both FIFOs
#define LCR_8BITS     3
#define LCR_DLAB      (1 << 7)
#define LSR_RX_READY  (1 << 0)
#define LSR_TX_IDLE   (1 << 5)   // THR and the FIFO are empty
#define TX_FIFO       16         // bytes the UART takes once LSR_TX_IDLE is set

// The registers' address: physical while hart 0 boots with paging off, the
// device window (memlayout.h) once uart_paging_on() is called.
static volatile uchar *uart_regs = (volatile uchar*)UART0_PA;

void
uart_paging_on(void)
{
  uart_regs = (volatile uchar*)UART0;
}

static inline uchar
uart_rd(int reg)
{
  return uart_regs[reg];
}

static inline void
uart_wr(int reg, uchar v)
{
  uart_regs[reg] = v;
}

#define TXBUF 256
// Guards the transmit buffer and the UART's transmit side. Lock order: the
// console's input lock (echo, Ctrl-P), then printf's lock, then tx_lock;
// nothing is acquired while tx_lock is held but the process locks wakeup takes.
static struct spinlock tx_lock;
static char tx_buf[TXBUF];   // guarded by tx_lock
static uint64 tx_w;          // next slot to fill: tx_buf[tx_w % TXBUF]
static uint64 tx_r;          // next byte to send
static int tx_intr_on;       // IER_TX is set; guarded by tx_lock
static int tx_wake_pending;  // uart_sync_begin made room without waking writers; guarded by tx_lock


static void uartstart(void);

void
uartinit(void)
{
  uart_wr(IER, 0);
  uart_wr(LCR, LCR_DLAB);   // 38.4K baud: divisor 3 (QEMU ignores it anyway)
  uart_wr(DLL, 3);
  uart_wr(DLM, 0);
  uart_wr(LCR, LCR_8BITS);  // 8 data bits, no parity; DLAB off
  uart_wr(FCR, FCR_ENABLE | FCR_CLEAR);
  uart_wr(IER, IER_RX);     // IER_TX only while output waits (uartstart)
  initlock(&tx_lock, "uart");
}

// Queue n bytes for output, sleeping while the buffer is full. Process
// context only. One lock round and one FIFO fill per buffer-load, not per byte.
void
uartputs(const char *s, int n)
{
  acquire(&tx_lock);
  while(n > 0){
    if(panicked)
      for(;;)
        ;
    if(tx_w == tx_r + TXBUF){
      sleep(&tx_r, &tx_lock);
      continue;
    }
    while(n > 0 && tx_w != tx_r + TXBUF){
      tx_buf[tx_w++ % TXBUF] = *s++;
      n--;
    }
    uartstart();
  }
  release(&tx_lock);
}

// Write c now, spinning until the UART takes it. For printf and echo; usable
// with interrupts off and from interrupt handlers.
void
uartputc_sync(int c)
{
  push_off();
  if(panicked)
    for(;;)
      ;
  while((uart_rd(LSR) & LSR_TX_IDLE) == 0)
    ;
  uart_wr(THR, c);
  pop_off();
}

// Kernel output (printf) between uart_sync_begin and uart_sync_end reaches the
// screen whole and in order: bytes processes queued before it go out first, and
// bytes they queue meanwhile wait. Without this a kernel line and a prompt being
// drained by another hart interleave ("lease a$ fter"). No wakeup here (printf
// may hold any lock): the TX interrupt this leaves enabled wakes the writers.
void
uart_sync_begin(void)
{
  acquire(&tx_lock);
  if(tx_r == tx_w)
    return;
  do {
    while((uart_rd(LSR) & LSR_TX_IDLE) == 0)
      ;
    uart_wr(THR, tx_buf[tx_r++ % TXBUF]);
  } while(tx_r != tx_w);
  tx_wake_pending = 1;
  if(!tx_intr_on){
    uart_wr(IER, IER_RX | IER_TX);
    tx_intr_on = 1;
  }
}

void
uart_sync_end(void)
{
  release(&tx_lock);
}

// Move bytes from the buffer to the UART, a FIFO-load each time it is idle;
// ask for the TX interrupt only if bytes are left waiting. Caller holds tx_lock.
static void
uartstart(void)
{
  int sent = 0;

  while(tx_r != tx_w && (uart_rd(LSR) & LSR_TX_IDLE)){
    for(int i = 0; i < TX_FIFO && tx_r != tx_w; i++)
      uart_wr(THR, tx_buf[tx_r++ % TXBUF]);
    sent = 1;
  }
  if(tx_r != tx_w && !tx_intr_on){
    uart_wr(IER, IER_RX | IER_TX);   // the UART interrupts when the FIFO drains
    tx_intr_on = 1;
  } else if(tx_r == tx_w && tx_intr_on){
    uart_wr(IER, IER_RX);
    tx_intr_on = 0;
  }
  if(sent || tx_wake_pending){
    tx_wake_pending = 0;
    wakeup(&tx_r);   // uartputs may wait for room
  }
}

// A received byte, or -1 if none waits.
int
uartgetc(void)
{
  if(uart_rd(LSR) & LSR_RX_READY)
    return uart_rd(RHR);
  return -1;
}

// The UART interrupted: input arrived, the transmitter drained, or both.
void
uartintr(void)
{
  int c;

  (void)uart_rd(ISR);   // reading ISR acknowledges a TX-empty interrupt
  while((c = uartgetc()) >= 0)
    consoleintr(c);

  acquire(&tx_lock);
  uartstart();
  release(&tx_lock);
}
