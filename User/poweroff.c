// poweroff: shut the machine down (QEMU exits).
#include "kernel/types.h"
#include "user/user.h"

int
main(void)
{
  poweroff();
  fprintf(2, "poweroff: failed\n");
  return 1;
}
