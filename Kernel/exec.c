// exec: replace the calling process's memory with an ELF program from the
// file system. The new image is built in a fresh page table and installed
// only once everything succeeded, so a failing exec returns -1 to a process
// that is still intact.
//
// New user memory, from address 0:
//   program segments | guard page (no PTE_U) | stack (USERSTACK pages)
// The stack holds the environment strings and envp[] array, then the
// argument strings and the argv[] pointer array.

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "elf.h"
#include "stat.h"
#include "sleeplock.h"
#include "fs.h"
#include "file.h"

#define ELF_CLASS64   2     // e_ident[EI_CLASS] for 64-bit objects
#define EM_RISCV      243   // e_machine for RISC-V
#define MAXPHNUM      64    // more program headers than this is not a program
// Segments must end below this, leaving room for the guard and stack pages
// under the trapframe.
#define USERLIMIT     (MAXUVA - (USERSTACK + 1) * PGSIZE)

// Page permissions for ELF segment flags (pages are always readable).
static int
flags2perm(int flags)
{
  int perm = 0;

  if(flags & ELF_PROG_FLAG_EXEC)
    perm |= PTE_X;
  if(flags & ELF_PROG_FLAG_WRITE)
    perm |= PTE_W;
  return perm;
}

// Is this an ELF header we can load?
static int
elf_ok(struct elfhdr *elf, struct inode *ip)
{
  if(elf->magic != ELF_MAGIC || elf->elf[0] != ELF_CLASS64)
    return 0;
  if(elf->machine != EM_RISCV)
    return 0;
  if(elf->phentsize != sizeof(struct proghdr) || elf->phnum > MAXPHNUM)
    return 0;
  // phnum is small, so this sum cannot overflow unless phoff is huge.
  if(elf->phoff > ip->size ||
     elf->phoff + (uint64) elf->phnum * sizeof(struct proghdr) > ip->size)
    return 0;
  return 1;
}

// Is this loadable segment sane: sizes, alignment, no wrap-around?
static int
segment_ok(struct proghdr *ph, struct inode *ip)
{
  if(ph->memsz < ph->filesz)
    return 0;
  if(ph->vaddr % PGSIZE != 0)
    return 0;
  if(ph->vaddr + ph->memsz < ph->vaddr || ph->vaddr + ph->memsz > USERLIMIT)
    return 0;
  if(ph->off + ph->filesz < ph->off || ph->off + ph->filesz > ip->size)
    return 0;
  return 1;
}

// Copy sz bytes at file offset off of ip to user address va (page aligned),
// whose pages are already mapped. 0 on success, -1 on failure.
static int
loadseg(pagetable_t pagetable, uint64 va, struct inode *ip, uint off, uint sz)
{
  uint i, n;
  uint64 pa;

  for(i = 0; i < sz; i += PGSIZE){
    pa = walkaddr(pagetable, va + i);
    if(pa == 0)
      return -1;
    n = sz - i < PGSIZE ? sz - i : PGSIZE;
    if(readi(ip, 0, pa, off + i, n) != n)
      return -1;
  }
  return 0;
}

// Map and fill every loadable segment of ip. Returns the new image size,
// or 0 on failure (pages mapped so far are accounted in *szp).
static uint64
load_program(pagetable_t pagetable, struct inode *ip, struct elfhdr *elf,
             uint64 *szp)
{
  struct proghdr ph;
  uint64 off, sz1;
  int i;

  for(i = 0, off = elf->phoff; i < elf->phnum; i++, off += sizeof(ph)){
    if(readi(ip, 0, (uint64) &ph, off, sizeof(ph)) != sizeof(ph))
      return 0;
    if(ph.type != ELF_PROG_LOAD)
      continue;
    if(!segment_ok(&ph, ip))
      return 0;
    sz1 = uvmalloc(pagetable, *szp, ph.vaddr + ph.memsz, flags2perm(ph.flags));
    if(sz1 == 0)
      return 0;
    *szp = sz1;
    if(loadseg(pagetable, ph.vaddr, ip, ph.off, ph.filesz) < 0)
      return 0;
  }
  return *szp;
}

// Copy the strings of a 0-terminated vector (argv or envp) and then their
// pointer array onto the new stack, whose top is sp and bottom stackbase.
// Returns the new sp (the array's address) and the count in *argcp, or 0 if
// they do not fit or there are more than MAXARG.
static uint64
push_args(pagetable_t pagetable, uint64 sp, uint64 stackbase, char **argv,
          int *argcp)
{
  uint64 ustack[MAXARG + 1];
  int argc;
  uint len;

  for(argc = 0; argv[argc]; argc++){
    if(argc >= MAXARG)
      return 0;
    len = strlen(argv[argc]) + 1;
    if(sp - stackbase < len + 16)
      return 0;
    sp -= len;
    sp -= sp % 16;  // the RISC-V ABI wants sp 16-byte aligned
    if(copyout(pagetable, sp, argv[argc], len) < 0)
      return 0;
    ustack[argc] = sp;
  }
  ustack[argc] = 0;

  len = (argc + 1) * sizeof(uint64);
  if(sp - stackbase < len + 16)
    return 0;
  sp -= len;
  sp -= sp % 16;
  if(copyout(pagetable, sp, (char *) ustack, len) < 0)
    return 0;
  *argcp = argc;
  return sp;
}

// Descriptors marked close-on-exec (FD_CLOEXEC) do not reach the new program.
static void
close_on_exec(struct proc *p)
{
  for(int fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd] && p->cloexec[fd]){
      fileclose(p->ofile[fd]);
      p->ofile[fd] = 0;
    }
    p->cloexec[fd] = 0;
  }
}

// Replace the current process's image with the program at path, its
// arguments argv and its environment envp (0: none). main gets argc in a0,
// argv in a1 and envp in a2 (an array ending in 0, above argv on the stack).
// Returns argc or -1, leaving the process unchanged.
int
kexec(char *path, char **argv, char **envp)
{
  static char *noenv[1];
  struct proc *p = myproc();
  struct elfhdr elf;
  struct inode *ip;
  pagetable_t pagetable = 0, oldpagetable;
  uint64 sz = 0, sp, envsp, stackbase, oldsz;
  int argc = 0, envc;
  char *s, *last;

  begin_op();
  if((ip = namei(path)) == 0){
    end_op();
    return -1;
  }
  ilock(ip);

  if(ip->type != T_FILE)
    goto bad;
  if(readi(ip, 0, (uint64) &elf, 0, sizeof(elf)) != sizeof(elf))
    goto bad;
  if(!elf_ok(&elf, ip))
    goto bad;
  if((pagetable = proc_pagetable(p)) == 0)
    goto bad;
  if(load_program(pagetable, ip, &elf, &sz) == 0)
    goto bad;
  iunlockput(ip);
  end_op();
  ip = 0;

  // The stack: USERSTACK pages above an inaccessible guard page.
  sz = PGROUNDUP(sz);
  if((sp = uvmalloc(pagetable, sz, sz + (USERSTACK + 1) * PGSIZE, PTE_W)) == 0)
    goto bad;
  sz = sp;
  uvmclear(pagetable, sz - (USERSTACK + 1) * PGSIZE);
  stackbase = sz - USERSTACK * PGSIZE;

  if((envsp = push_args(pagetable, sz, stackbase, envp ? envp : noenv, &envc)) == 0 ||
     (sp = push_args(pagetable, envsp, stackbase, argv, &argc)) == 0)
    goto bad;

  // Name the process after the program's last path element.
  for(last = s = path; *s; s++)
    if(*s == '/')
      last = s + 1;
  safestrcpy(p->name, last, sizeof(p->name));

  // Commit to the new image.
  oldpagetable = p->pagetable;
  oldsz = p->sz;
  push_off();   // run on the new table before the old one goes
  p->pagetable = pagetable;
  p->tlb_epoch = tlb_epoch_new();
  uvm_activate(p);
  pop_off();
  p->sz = sz;
  p->trapframe->epc = elf.entry;
  p->trapframe->sp = sp;
  p->trapframe->a1 = sp;  // argv; a0 = argc is the return value
  p->trapframe->a2 = envsp;
  proc_freepagetable(oldpagetable, oldsz);
  close_on_exec(p);
  signal_exec(p);         // the old image's handlers are gone
  return argc;

bad:
  if(pagetable)
    proc_freepagetable(pagetable, sz);
  if(ip){
    iunlockput(ip);
    end_op();
  }
  return -1;
}
