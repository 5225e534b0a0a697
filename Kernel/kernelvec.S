# kernelvec.S: trap entry points that are not the user trampoline.
#   kernelvec   supervisor traps taken while in the kernel: save the caller-saved
#               registers on the current kernel stack and call kerneltrap().
#   timervec    machine-mode timer interrupt, used only without Sstc: re-arm
#               mtimecmp and raise a supervisor software interrupt as the tick.
#   machinevec  machine-mode timer interrupt, used only with Sstc: the profiler's
#               sample (profile_msample in profile.c).
#   sstc_probe  machine mode, at boot: does this hart have menvcfg.STCE and stimecmp?

.section .text
.globl kerneltrap
.globl kernelvec
.align 4
kernelvec:
        # kerneltrap() is C: it preserves s0-s11 itself, so only the registers a
        # call may clobber need saving. tp is saved too, though it should not change.
        addi    sp, sp, -256
        sd      ra, 0(sp)
        sd      gp, 16(sp)
        sd      tp, 24(sp)
        sd      t0, 32(sp)
        sd      t1, 40(sp)
        sd      t2, 48(sp)
        sd      a0, 72(sp)
        sd      a1, 80(sp)
        sd      a2, 88(sp)
        sd      a3, 96(sp)
        sd      a4, 104(sp)
        sd      a5, 112(sp)
        sd      a6, 120(sp)
        sd      a7, 128(sp)
        sd      t3, 216(sp)
        sd      t4, 224(sp)
        sd      t5, 232(sp)
        sd      t6, 240(sp)

        call    kerneltrap

        ld      ra, 0(sp)
        ld      gp, 16(sp)
        # not tp: this thread may have moved to another hart (yield in kerneltrap)
        ld      t0, 32(sp)
        ld      t1, 40(sp)
        ld      t2, 48(sp)
        ld      a0, 72(sp)
        ld      a1, 80(sp)
        ld      a2, 88(sp)
        ld      a3, 96(sp)
        ld      a4, 104(sp)
        ld      a5, 112(sp)
        ld      a6, 120(sp)
        ld      a7, 128(sp)
        ld      t3, 216(sp)
        ld      t4, 224(sp)
        ld      t5, 232(sp)
        ld      t6, 240(sp)
        addi    sp, sp, 256
        sret

# mscratch points at this hart's timer_scratch row (start.c):
# [0..16] save area, [24] address of mtimecmp, [32] interval.
.globl timervec
.align 4
timervec:
        csrrw   a0, mscratch, a0
        sd      a1, 0(a0)
        sd      a2, 8(a0)
        sd      a3, 16(a0)

        ld      a1, 24(a0)              # mtimecmp += interval
        ld      a2, 32(a0)
        ld      a3, 0(a1)
        add     a3, a3, a2
        sd      a3, 0(a1)

        li      a1, 2                   # sip.SSIP: the supervisor sees the tick
        csrs    sip, a1

        ld      a3, 16(a0)
        ld      a2, 8(a0)
        ld      a1, 0(a0)
        csrrw   a0, mscratch, a0
        mret

# mscratch holds the top of this hart's machine stack (start.c). Only a machine
# timer interrupt comes here, from supervisor or user mode: a C call may clobber
# the caller-saved registers, so they are saved; profile_msample gets the
# interrupted sp, ra and s0 (its own prologue will move s0) and reads the CSRs.
.globl machinevec
.align 4
machinevec:
        csrrw   sp, mscratch, sp        # sp: machine stack; mscratch: interrupted sp
        addi    sp, sp, -128
        sd      ra, 0(sp)
        sd      t0, 8(sp)
        sd      t1, 16(sp)
        sd      t2, 24(sp)
        sd      a0, 32(sp)
        sd      a1, 40(sp)
        sd      a2, 48(sp)
        sd      a3, 56(sp)
        sd      a4, 64(sp)
        sd      a5, 72(sp)
        sd      a6, 80(sp)
        sd      a7, 88(sp)
        sd      t3, 96(sp)
        sd      t4, 104(sp)
        sd      t5, 112(sp)
        sd      t6, 120(sp)

        csrr    a0, mscratch
        mv      a1, ra
        mv      a2, s0
        call    profile_msample

        ld      ra, 0(sp)
        ld      t0, 8(sp)
        ld      t1, 16(sp)
        ld      t2, 24(sp)
        ld      a0, 32(sp)
        ld      a1, 40(sp)
        ld      a2, 48(sp)
        ld      a3, 56(sp)
        ld      a4, 64(sp)
        ld      a5, 72(sp)
        ld      a6, 80(sp)
        ld      a7, 88(sp)
        ld      t3, 96(sp)
        ld      t4, 104(sp)
        ld      t5, 112(sp)
        ld      t6, 120(sp)
        addi    sp, sp, 128
        csrrw   sp, mscratch, sp
        mret

# int sstc_probe(void): 1 if menvcfg.STCE can be set and stimecmp written.
# A missing CSR raises an illegal-instruction trap; the temporary vector below
# skips the instruction and clears a0, so the answer becomes 0.
.globl sstc_probe
.align 4
sstc_probe:
        la      t0, probe_trap
        csrrw   t1, mtvec, t0
        li      a0, 1
        li      t2, 1
        slli    t2, t2, 63
        csrs    0x30a, t2               # menvcfg.STCE
        csrr    t3, 0x30a
        and     t3, t3, t2
        bnez    t3, 1f
        li      a0, 0                   # STCE did not stick
1:      beqz    a0, 2f
        li      t3, -1
        csrw    0x14d, t3               # stimecmp = far future
2:      csrw    mtvec, t1
        ret
.align 4
probe_trap:
        csrr    t4, mepc
        addi    t4, t4, 4               # CSR instructions are never compressed
        csrw    mepc, t4
        li      a0, 0
        mret
