// vm.c: Sv39 page tables. The kernel's table maps RAM at its physical
// addresses, the devices in their window, the per-process kernel stacks and the
// trampoline (memlayout.h). Each process has its own table for user memory
// (from 0 up to p->sz), its trapframe and the trampoline, and it shares the
// kernel's tables for everything else: the kernel runs on the table of whichever
// process the hart runs, so traps and system calls never write satp.
//
// Heap pages that sbrk grew lazily have no PTE until first touched; vmfault()
// fills them in, for page faults (trap.c) and for copyin/copyout alike.
#include "param.h"
#include "types.h"
#include "memlayout.h"
#include "elf.h"
#include "riscv.h"
#include "defs.h"
#include "spinlock.h"
#include "proc.h"

pagetable_t kernel_pagetable;

// which table each hart runs on: see "Which table each hart runs on" below.
static struct spinlock satp_lock;  // guards cpus[].loaded and retired[]
static pagetable_t retired[NCPU];   // at most one per hart: each has one table loaded
static uint64 last_epoch;           // source of tlb_epoch values (atomic)

extern char etext[];       // kernel.ld: end of kernel code
extern char trampoline[];  // trampoline.S

static pagetable_t
kvmmake(void)
{
  pagetable_t kpt = (pagetable_t)kalloc();

  memset(kpt, 0, PGSIZE);
  kvmmap(kpt, TESTFINISHER, TESTFINISHER_PA, PGSIZE, PTE_R | PTE_W);
  kvmmap(kpt, GOLDFISH_RTC, GOLDFISH_RTC_PA, PGSIZE, PTE_R | PTE_W);
  kvmmap(kpt, UART0, UART0_PA, PGSIZE, PTE_R | PTE_W);
  kvmmap(kpt, VIRTIO_MMIO_BASE, VIRTIO_MMIO_BASE_PA,
         VIRTIO_MMIO_SLOTS * VIRTIO_MMIO_STRIDE, PTE_R | PTE_W);
  kvmmap(kpt, PLIC, PLIC_PA, 0x400000, PTE_R | PTE_W);
  // the CLINT: the profiler starts each hart's machine timer (profile.c)
  kvmmap(kpt, DEVICE_VA(CLINT), CLINT, 0x10000, PTE_R | PTE_W);
  // PCIe: bus 0's config space, and the part of the memory window BARs are
  // assigned from (Sources/Drivers/PCI). Mapped whether or not a device is there.
  kvmmap(kpt, PCIE_ECAM, PCIE_ECAM_PA, PCIE_ECAM_BUS0_SIZE, PTE_R | PTE_W);
  kvmmap(kpt, PCIE_MMIO, PCIE_MMIO_PA, PCIE_MMIO_SIZE, PTE_R | PTE_W);
  kvmmap(kpt, KERNBASE, KERNBASE, (uint64)etext - KERNBASE, PTE_R | PTE_X);
  kvmmap(kpt, (uint64)etext, (uint64)etext, PHYSTOP - (uint64)etext, PTE_R | PTE_W);
  kvmmap(kpt, TRAMPOLINE, (uint64)trampoline, PGSIZE, PTE_R | PTE_X);
  proc_mapstacks(kpt);
  // user tables copy the shared entries once, when they are made: everything
  // the kernel maps must sit in them, and nothing in the user-owned ones but
  // the trampoline (which each user table maps for itself).
  for(int i = 0; i < 512; i++){
    int shared = i >= KERNEL_SHARED_FIRST && i <= KERNEL_SHARED_LAST;
    if(!shared && i != PX(2, TRAMPOLINE) && (kpt[i] & PTE_V))
      panic("kvmmake: kernel mapping outside the shared entries");
  }
  return kpt;
}

_Static_assert(PHYSTOP <= DEVICE_WINDOW, "RAM must fit in top-level entry 2");
_Static_assert(PX(2, KERNBASE) >= KERNEL_SHARED_FIRST && PX(2, MAXUVA) == PX(2, KERNBASE),
               "user memory ends where the direct map begins");
_Static_assert(PX(2, KSTACK(NPROC - 1)) <= KERNEL_SHARED_LAST &&
               PX(2, KSTACK_TOP - 1) <= KERNEL_SHARED_LAST, "kernel stacks are shared");

void
kvminit(void)
{
  initlock(&satp_lock, "satp");
  kernel_pagetable = kvmmake();
}

static void load_pagetable(pagetable_t pt, uint64 epoch);

// Turn paging on for this hart, with the kernel's table.
void
kvminithart(void)
{
  sfence_vma();   // earlier page-table stores are complete
  load_pagetable(kernel_pagetable, 0);
}

// --- Which table each hart runs on.
//
// A hart keeps the last process's table loaded after that process stops (the
// scheduler, interrupts and idling only touch kernel addresses, which every
// table maps alike), so when the same process runs again, as it does after
// each sleep in a request/response exchange, there is no satp write and no TLB
// flush. Two rules keep that safe:
//  - p->tlb_epoch takes a new value whenever p's table changes (sbrk, a lazy
//    page, exec); a hart whose TLB may hold another version flushes before it
//    runs p;
//  - a table freed while another hart still has it loaded loses its user part
//    at once, but its root page (through which that hart reaches the kernel)
//    waits in retired[] until no hart has it loaded.

uint64
tlb_epoch_new(void)
{
  return __atomic_add_fetch(&last_epoch, 1, __ATOMIC_RELAXED);
}

// Is pt in some hart's satp? Caller holds satp_lock.
static int
loaded_anywhere(pagetable_t pt)
{
  for(int i = 0; i < NCPU; i++)
    if(cpus[i].loaded == pt)
      return 1;
  return 0;
}

// Load pt (whose contents have version epoch) into this hart's satp, flushing
// the TLB, and free retired roots no hart has loaded any more. Interrupts off.
static void
load_pagetable(pagetable_t pt, uint64 epoch)
{
  struct cpu *c = mycpu();
  pagetable_t done[NCPU];
  int n = 0;

  acquire(&satp_lock);
  w_satp(MAKE_SATP(pt));
  sfence_vma();
  c->loaded = pt;
  c->tlb_epoch = epoch;
  for(int i = 0; i < NCPU; i++){
    if(retired[i] && !loaded_anywhere(retired[i])){
      done[n++] = retired[i];
      retired[i] = 0;
    }
  }
  release(&satp_lock);
  while(n > 0)
    kfree(done[--n]);
}

// Run on p's table, with no stale translations of it (scheduler, exec).
// Interrupts off.
void
uvm_activate(struct proc *p)
{
  struct cpu *c = mycpu();

  if(c->loaded != p->pagetable || c->tlb_epoch != p->tlb_epoch)
    load_pagetable(p->pagetable, p->tlb_epoch);
}

// Run on the kernel's own table (an idle hart that must not hold a process's).
void
uvm_activate_kernel(void)
{
  push_off();
  if(mycpu()->loaded != kernel_pagetable)
    load_pagetable(kernel_pagetable, 0);
  pop_off();
}

// The running process p changed its own table: new version, and this hart
// (which has it loaded) drops what its TLB may hold of the old one; other harts
// will flush when they next run p. va is the one page that changed, or -1.
void
uvm_changed(struct proc *p, uint64 va)
{
  push_off();   // p must not move to another hart between these steps
  p->tlb_epoch = tlb_epoch_new();
  if(va == (uint64)-1)
    sfence_vma();
  else
    sfence_vma_page(va);
  mycpu()->tlb_epoch = p->tlb_epoch;
  pop_off();
}

// Free a user table's root page, now or, if a hart still has it loaded, when
// that hart loads another table.
static void
retire_root(pagetable_t pt)
{
  acquire(&satp_lock);
  if(loaded_anywhere(pt)){
    for(int i = 0; i < NCPU; i++){
      if(retired[i] == 0){
        retired[i] = pt;
        pt = 0;
        break;
      }
    }
    if(pt)
      panic("retire_root: more retired tables than harts");
  }
  release(&satp_lock);
  if(pt)
    kfree(pt);
}

// The PTE for va, creating page-table pages on the way if alloc.
// Returns 0 if va is out of range, or the path is missing and !alloc, or
// memory ran out.
pte_t *
walk(pagetable_t pagetable, uint64 va, int alloc)
{
  if(va >= MAXVA)
    return 0;
  for(int level = 2; level > 0; level--){
    pte_t *pte = &pagetable[PX(level, va)];
    if(*pte & PTE_V){
      pagetable = (pagetable_t)PTE2PA(*pte);
    } else {
      if(!alloc || (pagetable = (pagetable_t)kalloc()) == 0)
        return 0;
      memset(pagetable, 0, PGSIZE);
      *pte = PA2PTE(pagetable) | PTE_V;
    }
  }
  return &pagetable[PX(0, va)];
}

// Physical address of a user page, or 0 if not mapped for user access.
uint64
walkaddr(pagetable_t pagetable, uint64 va)
{
  pte_t *pte = walk(pagetable, va, 0);

  if(pte == 0 || (*pte & PTE_V) == 0 || (*pte & PTE_U) == 0)
    return 0;
  return PTE2PA(*pte);
}

// Map at boot; failing here is a kernel bug.
void
kvmmap(pagetable_t kpt, uint64 va, uint64 pa, uint64 sz, int perm)
{
  if(mappages(kpt, va, sz, pa, perm) != 0)
    panic("kvmmap");
}

// Map [va, va+size) to physical pa onward. va and size need not be aligned.
// Returns -1 if a page-table page could not be allocated.
int
mappages(pagetable_t pagetable, uint64 va, uint64 size, uint64 pa, int perm)
{
  if(size == 0)
    panic("mappages: size");
  uint64 a = PGROUNDDOWN(va);
  uint64 last = PGROUNDDOWN(va + size - 1);
  for(;; a += PGSIZE, pa += PGSIZE){
    pte_t *pte = walk(pagetable, a, 1);
    if(pte == 0)
      return -1;
    if(*pte & PTE_V)
      panic("mappages: remap");
    *pte = PA2PTE(pa) | perm | PTE_V;
    if(a == last)
      break;
  }
  return 0;
}

// walk() found no last-level table for a: none of the 2 MiB it would cover is
// mapped. Returns the last page of that span, for a loop that adds PGSIZE next.
static uint64
skip_table(uint64 a)
{
  uint64 span = 1UL << PXSHIFT(1);
  return (a & ~(span - 1)) + span - PGSIZE;
}

// Remove npages of mappings from va (page aligned), freeing the memory if
// do_free. Pages never touched (lazy sbrk) have no mapping and are skipped.
void
uvmunmap(pagetable_t pagetable, uint64 va, uint64 npages, int do_free)
{
  if((va % PGSIZE) != 0)
    panic("uvmunmap: not aligned");
  for(uint64 a = va; a < va + npages * PGSIZE; a += PGSIZE){
    pte_t *pte = walk(pagetable, a, 0);
    if(pte == 0){
      a = skip_table(a);
      continue;
    }
    if((*pte & PTE_V) == 0)
      continue;
    if(PTE_FLAGS(*pte) == PTE_V)
      panic("uvmunmap: not a leaf");
    if(do_free)
      kfree((void*)PTE2PA(*pte));
    *pte = 0;
  }
}

// A user page table with no user memory, mapping the kernel (by sharing its
// tables), or 0.
pagetable_t
uvmcreate(void)
{
  pagetable_t pt = (pagetable_t)kalloc();

  if(pt){
    memset(pt, 0, PGSIZE);
    for(int i = KERNEL_SHARED_FIRST; i <= KERNEL_SHARED_LAST; i++)
      pt[i] = kernel_pagetable[i];
  }
  return pt;
}

// Grow a process from oldsz to newsz with zeroed pages mapped user-readable
// plus xperm. Returns the new size, or 0 (with nothing changed) on failure.
uint64
uvmalloc(pagetable_t pagetable, uint64 oldsz, uint64 newsz, int xperm)
{
  if(newsz < oldsz)
    return oldsz;
  if(newsz > MAXUVA)
    return 0;
  uint64 need = (PGROUNDUP(newsz) - PGROUNDUP(oldsz)) / PGSIZE;
  if(need > kfreepages())
    return 0;   // fail fast instead of allocating everything and undoing it
  for(uint64 a = PGROUNDUP(oldsz); a < newsz; a += PGSIZE){
    char *mem = kalloc();
    if(mem == 0){
      uvmdealloc(pagetable, a, oldsz);
      return 0;
    }
    memset(mem, 0, PGSIZE);
    if(mappages(pagetable, a, PGSIZE, (uint64)mem, PTE_R | PTE_U | xperm) != 0){
      kfree(mem);
      uvmdealloc(pagetable, a, oldsz);
      return 0;
    }
  }
  return newsz;
}

static int
table_empty(pagetable_t t)
{
  for(int i = 0; i < 512; i++)
    if(t[i] & PTE_V)
      return 0;
  return 1;
}

// After a shrink: free the page-table pages that no longer map anything in
// [from, to), so a big lazy heap that was touched sparsely leaves nothing behind.
static void
prune_tables(pagetable_t root, uint64 from, uint64 to)
{
  uint64 span1 = 1UL << PXSHIFT(1), span2 = 1UL << PXSHIFT(2);

  for(uint64 a = from & ~(span2 - 1); a < to && a < MAXVA; a += span2){
    pte_t *e2 = &root[PX(2, a)];
    if((*e2 & PTE_V) == 0)
      continue;
    pagetable_t mid = (pagetable_t)PTE2PA(*e2);
    for(uint64 b = a > from ? a : from & ~(span1 - 1); b < a + span2 && b < to; b += span1){
      pte_t *e1 = &mid[PX(1, b)];
      if((*e1 & PTE_V) && table_empty((pagetable_t)PTE2PA(*e1))){
        kfree((void*)PTE2PA(*e1));
        *e1 = 0;
      }
    }
    if(table_empty(mid)){
      kfree(mid);
      *e2 = 0;
    }
  }
}

// Shrink a process from oldsz to newsz, freeing pages. Returns the new size.
uint64
uvmdealloc(pagetable_t pagetable, uint64 oldsz, uint64 newsz)
{
  if(newsz >= oldsz)
    return oldsz;
  if(PGROUNDUP(newsz) < PGROUNDUP(oldsz)){
    uint64 n = (PGROUNDUP(oldsz) - PGROUNDUP(newsz)) / PGSIZE;
    uvmunmap(pagetable, PGROUNDUP(newsz), n, 1);
    prune_tables(pagetable, PGROUNDUP(newsz), PGROUNDUP(oldsz));
  }
  return newsz;
}

// Free a page-table page and the tables below it. All leaf mappings must
// already be gone.
static void
freewalk(pagetable_t pagetable)
{
  for(int i = 0; i < 512; i++){
    pte_t pte = pagetable[i];
    if((pte & PTE_V) && (pte & (PTE_R | PTE_W | PTE_X)) == 0){
      freewalk((pagetable_t)PTE2PA(pte));
      pagetable[i] = 0;
    } else if(pte & PTE_V){
      panic("freewalk: leaf");
    }
  }
  kfree(pagetable);
}

// Free user memory [0, sz), then the page table itself: the tables under the
// entries the process owns, and the root (the kernel's shared tables stay).
void
uvmfree(pagetable_t pagetable, uint64 sz)
{
  if(sz > 0)
    uvmunmap(pagetable, 0, PGROUNDUP(sz) / PGSIZE, 1);
  for(int i = 0; i < 512; i++){
    if(i >= KERNEL_SHARED_FIRST && i <= KERNEL_SHARED_LAST)
      continue;
    if(pagetable[i] & PTE_V){
      freewalk((pagetable_t)PTE2PA(pagetable[i]));
      pagetable[i] = 0;
    }
  }
  retire_root(pagetable);
}

// Copy a parent's memory [0, sz) into a child's table (fork). Pages the parent
// never touched stay lazy in the child. Read-only pages (program text and
// constants) are shared, not copied: besides the copy, that spares QEMU
// translating the child's code again, since it keys translated code by
// physical address. Returns -1 (child unchanged) on failure.
int
uvmcopy(pagetable_t old, pagetable_t new, uint64 sz)
{
  for(uint64 a = 0; a < sz; a += PGSIZE){
    pte_t *pte = walk(old, a, 0);
    if(pte == 0){
      a = skip_table(a);
      continue;
    }
    if((*pte & PTE_V) == 0)
      continue;
    if((*pte & PTE_W) == 0){
      if(mappages(new, a, PGSIZE, PTE2PA(*pte), PTE_FLAGS(*pte)) != 0)
        goto fail;
      kpage_share((void*)PTE2PA(*pte));
      continue;
    }
    char *mem = kalloc();
    if(mem == 0)
      goto fail;
    memmove(mem, (char*)PTE2PA(*pte), PGSIZE);
    if(mappages(new, a, PGSIZE, (uint64)mem, PTE_FLAGS(*pte)) != 0){
      kfree(mem);
      goto fail;
    }
  }
  return 0;

fail:
  uvmunmap(new, 0, PGROUNDUP(sz) / PGSIZE, 1);
  return -1;
}

// Make a page inaccessible to user mode (exec's stack guard page).
void
uvmclear(pagetable_t pagetable, uint64 va)
{
  pte_t *pte = walk(pagetable, va, 0);

  if(pte == 0)
    panic("uvmclear");
  *pte &= ~PTE_U;
}

// A lazily allocated page at va was touched: map a zeroed page if va lies in the
// current process's memory and has no mapping yet. Returns its physical address,
// or 0 if va is not a lazy page (bad address) or memory ran out.
uint64
vmfault(pagetable_t pagetable, uint64 va, int write)
{
  struct proc *p = myproc();

  (void)write;   // lazy pages are always writable
  if(p == 0 || pagetable != p->pagetable || va >= p->sz || va >= MAXUVA)
    return 0;
  va = PGROUNDDOWN(va);
  pte_t *pte = walk(pagetable, va, 0);
  if(pte && (*pte & PTE_V))
    return 0;   // mapped (e.g. the stack guard page): not ours to fix
  char *mem = kalloc();
  if(mem == 0)
    return 0;
  memset(mem, 0, PGSIZE);
  if(mappages(pagetable, va, PGSIZE, (uint64)mem, PTE_R | PTE_W | PTE_U) != 0){
    kfree(mem);
    return 0;
  }
  uvm_changed(p, va);
  return (uint64)mem;
}

// The physical page behind user address va for a copy, materialising a lazy
// page; 0 if the user may not access it (or write it, if write).
static uint64
user_page(pagetable_t pagetable, uint64 va, int write)
{
  if(va >= MAXUVA)
    return 0;
  pte_t *pte = walk(pagetable, va, 0);
  if(pte == 0 || (*pte & PTE_V) == 0)
    return vmfault(pagetable, va, write);
  if((*pte & PTE_U) == 0 || (write && (*pte & PTE_W) == 0))
    return 0;
  return PTE2PA(*pte);
}

// Copy len bytes from kernel src to user dstva. Returns 0, or -1 on a bad address.
int
copyout(pagetable_t pagetable, uint64 dstva, char *src, uint64 len)
{
  while(len > 0){
    uint64 va0 = PGROUNDDOWN(dstva);
    uint64 pa0 = user_page(pagetable, va0, 1);
    if(pa0 == 0)
      return -1;
    uint64 n = PGSIZE - (dstva - va0);
    if(n > len)
      n = len;
    memmove((void*)(pa0 + (dstva - va0)), src, n);
    len -= n;
    src += n;
    dstva = va0 + PGSIZE;
  }
  return 0;
}

// Copy len bytes from user srcva to kernel dst. Returns 0, or -1 on a bad address.
int
copyin(pagetable_t pagetable, char *dst, uint64 srcva, uint64 len)
{
  while(len > 0){
    uint64 va0 = PGROUNDDOWN(srcva);
    uint64 pa0 = user_page(pagetable, va0, 0);
    if(pa0 == 0)
      return -1;
    uint64 n = PGSIZE - (srcva - va0);
    if(n > len)
      n = len;
    memmove(dst, (void*)(pa0 + (srcva - va0)), n);
    len -= n;
    dst += n;
    srcva = va0 + PGSIZE;
  }
  return 0;
}

// Copy a NUL-terminated string of at most max bytes (NUL included) from user
// srcva to dst. Returns 0, or -1 on a bad address or a missing NUL.
int
copyinstr(pagetable_t pagetable, char *dst, uint64 srcva, uint64 max)
{
  while(max > 0){
    uint64 va0 = PGROUNDDOWN(srcva);
    uint64 pa0 = user_page(pagetable, va0, 0);
    if(pa0 == 0)
      return -1;
    uint64 n = PGSIZE - (srcva - va0);
    if(n > max)
      n = max;
    char *p = (char*)(pa0 + (srcva - va0));
    for(; n > 0; n--, max--, p++, dst++){
      *dst = *p;
      if(*p == 0)
        return 0;
    }
    srcva = va0 + PGSIZE;
  }
  return -1;
}
