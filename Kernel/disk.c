// disk.c: the block device under the buffer cache. The driver itself is
// Swift (Sources/VirtIO/VirtioBlk.swift, a virtio-blk device on virtio-mmio,
// which QEMU creates with -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0);
// this file adapts xv6's interface to it.
#include "types.h"
#include "param.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "fs.h"
#include "buf.h"
#include "riscv.h"
#include "defs.h"
#include "virtio_exports.h"

// Find and start the disk, and route its interrupt. The root file system
// lives on it: without a disk there is nothing to run, so that is fatal.
void
disk_init(void)
{
  int irq = virtio_blk_init();

  if(irq < 0)
    panic("disk_init: no usable virtio-blk disk (QEMU needs -drive ... "
          "-device virtio-blk-device and -global virtio-mmio.force-legacy=false)");
  disk_irq = irq;
  plic_enable(irq);
}

// Read (write == 0) or write block b, sleeping until the device is done.
// The buffer cache holds b's sleeplock, so b is ours until we return.
void
disk_rw(struct buf *b, int write)
{
  uint64 sector = (uint64)b->blockno * (BSIZE / 512);

  if(virtio_blk_rw(sector, b->data, BSIZE, write) < 0)
    panic("disk_rw: virtio-blk request failed");
}

void
disk_intr(void)
{
  virtio_blk_intr();
}
