# crt0.S: where a POSIX program starts. exec leaves argc in a0, argv in a1
# and envp in a2 on a one-page stack; picolibc's printf and the resolver want more, so
# the program runs on a larger stack in its own bss (POSIX_STACK below).
# tp points at the thread-local block, where picolibc keeps errno: with one
# thread the block is the linked .tdata/.tbss itself (User/posix/posix.ld).

#define POSIX_STACK (64 * 1024)

  .section .text.start
  .globl _start
  .type _start, @function
_start:
  la sp, __posix_stack_top
  la tp, __tls_base
  call __posix_start        # a0, a1, a2 still argc, argv, envp; it never returns
1:
  j 1b
  .size _start, . - _start

  .section .bss.posix_stack, "aw", @nobits
  .balign 16
  .globl __posix_stack_limit
__posix_stack_limit:
  .space POSIX_STACK
__posix_stack_top:
