# crt0.S: where a POSIX program starts. exec leaves argc in a0, argv in a1
# and envp in a2 on a one-page stack; picolibc's printf and the resolver want more, so
# the program moves to a larger stack (POSIX_STACK below) that sbrk grows lazily:
# its pages are mapped only as the stack reaches them, and fork copies only
# those (a 64 KiB stack in the bss was copied whole by every fork: httpd's
# fork per connection paid 16 pages each time). If sbrk fails the program
# stays on exec's page.
# tp points at the thread-local block, where picolibc keeps errno: with one
# thread the block is the linked .tdata/.tbss itself (User/posix/posix.ld).

#define POSIX_STACK (64 * 1024)
#define SYS_sbrk    12            // Kernel/syscall.h
#define SBRK_LAZY   2             // user/user.h

  .section .text.start
  .globl _start
  .type _start, @function
_start:
  la tp, __tls_base
  mv s0, a0                 # argc, argv, envp across the system call
  mv s1, a1
  mv s2, a2
  li a0, POSIX_STACK
  li a1, SBRK_LAZY
  li a7, SYS_sbrk
  ecall                     # a0: the old end of memory, the stack's low end
  li t0, -1
  beq a0, t0, 1f
  li t0, POSIX_STACK
  add a0, a0, t0
  andi sp, a0, -16
1:
  mv a0, s0
  mv a1, s1
  mv a2, s2
  call __posix_start        # it never returns
2:
  j 2b
  .size _start, . - _start
