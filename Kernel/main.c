// main.c: where every hart arrives in supervisor mode (from start.c). Hart 0
// initialises the kernel; the others wait for it, then set up their own paging,
// trap vector and interrupt routing. All of them end in the scheduler.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "defs.h"
#include "drivers.h"   // the Swift drivers' probe functions

static volatile int started = 0;

void
main(void)
{
  if(cpuid() == 0){
    consoleinit();
    printfinit();
    printf("\nxv6-net kernel is booting\n\n");
    kinit();         // physical pages and kmalloc
#ifdef KALLOC_SELFTEST
    kalloc_selftest();
#endif
    kvminit();       // kernel page table
    kvminithart();   // paging on
    uart_paging_on();
    procinit();      // process table
    signalinit();    // alarms
    trapinit();
    profileinit();   // the sampling profiler (profile(2))
    clockinit();     // the wall clock (Goldfish RTC)
    pollinit();      // poll's wait queue
    trapinithart();  // kernel trap vector
    plicinit();      // interrupt controller
    plicinithart();
    binit();         // buffer cache
    iinit();         // inode table
    fileinit();      // file table
    disk_init();     // virtio-blk (Swift)
    random_init();   // virtio-rng (Swift) or timer jitter; before lwIP draws numbers
    netinit();       // lwIP and the loopback interface
    // NICs, in interface order (the first found is en0); each driver
    // registers what it finds with the network layer (CShims/include/netdev.h).
    virtio_net_probe();
    e1000_probe();
    net_probed();
    userinit();      // first process: execs /init
    __sync_synchronize();
    started = 1;
  } else {
    while(started == 0)
      ;
    __sync_synchronize();
    kvminithart();   // first: the console is reached through the page table
    printf("hart %d starting\n", cpuid());
    trapinithart();
    plicinithart();
  }
  scheduler();
}
