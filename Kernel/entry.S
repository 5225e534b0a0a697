# entry.S: first instructions of the kernel. QEMU's -bios none starts every hart
# here, at 0x80000000, in machine mode with paging off. Give each hart its own boot
# stack (BOOTSTACKPAGES pages from stack0 in start.c) and call start().
#include "param.h"

#define BOOTSTACKPAGES 4

.section .text.entry
.globl _entry
_entry:
        csrr    a1, mhartid
        li      t0, NCPU
        bgeu    a1, t0, park            # more harts than the kernel has slots for
        # sp = stack0 + (hartid + 1) * BOOTSTACKPAGES * 4096
        la      sp, stack0
        li      a0, BOOTSTACKPAGES*4096
        addi    a1, a1, 1
        mul     a0, a0, a1
        add     sp, sp, a0
        call    start
park:
        wfi
        j       park
