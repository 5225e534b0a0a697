// RISC-V privileged-architecture helpers: CSR access, page-table bits, Sv39 layout.
#pragma once

#ifndef __ASSEMBLER__

// Read/write a control and status register by name.
#define csr_read(name) ({ uint64 v_; asm volatile("csrr %0, " #name : "=r"(v_)); v_; })
#define csr_write(name, val) asm volatile("csrw " #name ", %0" : : "r"((uint64)(val)))
#define csr_set(name, bits) asm volatile("csrs " #name ", %0" : : "r"((uint64)(bits)))
#define csr_clear(name, bits) asm volatile("csrc " #name ", %0" : : "r"((uint64)(bits)))

static inline uint64 r_mhartid(void) { return csr_read(mhartid); }

// Machine status register.
#define MSTATUS_MPP_MASK (3L << 11) // previous mode
#define MSTATUS_MPP_M (3L << 11)
#define MSTATUS_MPP_S (1L << 11)
#define MSTATUS_MPP_U (0L << 11)
#define MSTATUS_MIE (1L << 3)       // machine-mode interrupt enable
#define MSTATUS_SIE (1L << 1)       // supervisor interrupt enable (sstatus.SIE)

static inline uint64 r_mstatus(void) { return csr_read(mstatus); }
static inline void w_mstatus(uint64 x) { csr_write(mstatus, x); }
static inline void w_mepc(uint64 x) { csr_write(mepc, x); }

// Supervisor status register.
#define SSTATUS_SPP (1L << 8)  // Previous mode, 1=Supervisor, 0=User
#define SSTATUS_SPIE (1L << 5) // Supervisor Previous Interrupt Enable
#define SSTATUS_UPIE (1L << 4) // User Previous Interrupt Enable
#define SSTATUS_SIE (1L << 1)  // Supervisor Interrupt Enable
#define SSTATUS_UIE (1L << 0)  // User Interrupt Enable

static inline uint64 r_sstatus(void) { return csr_read(sstatus); }
static inline void w_sstatus(uint64 x) { csr_write(sstatus, x); }
static inline uint64 r_sip(void) { return csr_read(sip); }
static inline void w_sip(uint64 x) { csr_write(sip, x); }

// Supervisor interrupt enable.
#define SIE_SEIE (1L << 9) // external
#define SIE_STIE (1L << 5) // timer
#define SIE_SSIE (1L << 1) // software
static inline uint64 r_sie(void) { return csr_read(sie); }
static inline void w_sie(uint64 x) { csr_write(sie, x); }

// Machine-mode interrupt enable.
#define MIE_MEIE (1L << 11) // external
#define MIE_MTIE (1L << 7)  // timer
#define MIE_MSIE (1L << 3)  // software
#define MIE_STIE (1L << 5)  // supervisor timer (Sstc)
static inline uint64 r_mie(void) { return csr_read(mie); }
static inline void w_mie(uint64 x) { csr_write(mie, x); }

static inline void w_sepc(uint64 x) { csr_write(sepc, x); }
static inline uint64 r_sepc(void) { return csr_read(sepc); }
static inline uint64 r_medeleg(void) { return csr_read(medeleg); }
static inline void w_medeleg(uint64 x) { csr_write(medeleg, x); }
static inline uint64 r_mideleg(void) { return csr_read(mideleg); }
static inline void w_mideleg(uint64 x) { csr_write(mideleg, x); }
static inline void w_stvec(uint64 x) { csr_write(stvec, x); }
static inline uint64 r_stvec(void) { return csr_read(stvec); }
static inline void w_pmpcfg0(uint64 x) { csr_write(pmpcfg0, x); }
static inline void w_pmpaddr0(uint64 x) { csr_write(pmpaddr0, x); }

// Supervisor address translation and protection: Sv39.
#define SATP_SV39 (8L << 60)
#define MAKE_SATP(pagetable) (SATP_SV39 | (((uint64)pagetable) >> 12))
static inline void w_satp(uint64 x) { csr_write(satp, x); }
static inline uint64 r_satp(void) { return csr_read(satp); }

static inline uint64 r_scause(void) { return csr_read(scause); }
static inline uint64 r_stval(void) { return csr_read(stval); }
static inline void w_mcounteren(uint64 x) { csr_write(mcounteren, x); }
static inline uint64 r_mcounteren(void) { return csr_read(mcounteren); }
static inline uint64 r_time(void) { return csr_read(time); }

// enable / disable / query device interrupts in supervisor mode. One CSR
// instruction each (csrsi/csrci/csrrci on SIE, bit 1): under QEMU's TCG every
// sstatus access costs 0.2-0.4 us, and spinlocks do this twice per acquire.
static inline void intr_on(void) { asm volatile("csrsi sstatus, 2" ::: "memory"); }
static inline void intr_off(void) { asm volatile("csrci sstatus, 2" ::: "memory"); }
static inline int intr_get(void) { return (r_sstatus() & SSTATUS_SIE) != 0; }
// Turns interrupts off and says whether they were on.
static inline int
intr_off_was_on(void)
{
  uint64 old;
  asm volatile("csrrci %0, sstatus, 2" : "=r"(old) :: "memory");
  return (old & SSTATUS_SIE) != 0;
}

static inline uint64 r_sp(void) { uint64 x; asm volatile("mv %0, sp" : "=r"(x)); return x; }
static inline uint64 r_tp(void) { uint64 x; asm volatile("mv %0, tp" : "=r"(x)); return x; }
static inline void w_tp(uint64 x) { asm volatile("mv tp, %0" : : "r"(x)); }
static inline uint64 r_ra(void) { uint64 x; asm volatile("mv %0, ra" : "=r"(x)); return x; }

// flush the TLB.
static inline void sfence_vma(void) { asm volatile("sfence.vma zero, zero"); }
static inline void sfence_vma_page(uint64 va) { asm volatile("sfence.vma %0, zero" : : "r"(va)); }

typedef uint64 pte_t;
typedef uint64 *pagetable_t; // 512 PTEs

#endif // __ASSEMBLER__

#define PGSIZE 4096 // bytes per page
#define PGSHIFT 12  // bits of offset within a page

#define PGROUNDUP(sz)  (((sz)+PGSIZE-1) & ~(PGSIZE-1))
#define PGROUNDDOWN(a) (((a)) & ~(PGSIZE-1))

#define PTE_V (1L << 0) // valid
#define PTE_R (1L << 1)
#define PTE_W (1L << 2)
#define PTE_X (1L << 3)
#define PTE_U (1L << 4) // user can access

// shift a physical address to the right place for a PTE.
#define PA2PTE(pa) ((((uint64)pa) >> 12) << 10)
#define PTE2PA(pte) (((pte) >> 10) << 12)
#define PTE_FLAGS(pte) ((pte) & 0x3FF)

// extract the three 9-bit page table indices from a virtual address.
#define PXMASK          0x1FF // 9 bits
#define PXSHIFT(level)  (PGSHIFT+(9*(level)))
#define PX(level, va) ((((uint64) (va)) >> PXSHIFT(level)) & PXMASK)

// one beyond the highest possible virtual address.
// MAXVA is actually one bit less than the max allowed by
// Sv39, to avoid having to sign-extend virtual addresses
// that have the high bit set.
#define MAXVA (1L << (9 + 9 + 9 + 12 - 1))
