// disk.c: the block device under the buffer cache. The driver itself is
// Swift (Sources/Drivers/VirtIO/VirtioBlk.swift, a virtio-blk device on virtio-mmio,
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
#include "drivers.h"

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

// Most requests one caller keeps in flight; the queue (128 descriptors,
// 2 + blocks per request) holds 42 single-block ones, and others may be
// using it too.
#define DISK_WINDOW 32
// Most blocks in one request: a run of consecutive blocks goes to the device
// as one request of DISK_RUN buffers at most (18 descriptors).
#define DISK_RUN 16

// Read or write n blocks: block blocknos[i] to or from datas[i], with up to
// DISK_WINDOW requests in flight at once, sleeping until all are done.
// Consecutive blocks (blocknos[i + 1] == blocknos[i] + 1, as a file's blocks
// mostly are, and the log's always) go as one request of up to DISK_RUN
// buffers: the device pops, maps and completes one chain for the run instead
// of one per 1 KiB block. Requests are submitted as a batch and announced with
// one kick. The caller keeps every datas[i] stable (and unread) until we return.
void
disk_rw_many(uint *blocknos, uchar **datas, int n, int write)
{
  int handle[DISK_WINDOW];
  int head = 0, count = 0, next = 0, added, h, k;

  while(next < n || count > 0){
    for(added = 0; next < n && count < DISK_WINDOW; added++){
      for(k = 1; next + k < n && k < DISK_RUN && blocknos[next + k] == blocknos[next] + k; k++)
        ;
      h = virtio_blk_submit((uint64)blocknos[next] * (BSIZE / 512), (void *const *)&datas[next],
                            k, BSIZE, write, count == 0);
      if(h == -2)
        break;      // queue full of others' requests: collect one of ours first
      if(h < 0)
        panic("disk_rw_many: virtio-blk request refused");
      handle[(head + count) % DISK_WINDOW] = h;
      count++;
      next += k;
    }
    if(added > 0)
      virtio_blk_kick();
    if(count > 0){
      if(virtio_blk_wait(handle[head]) < 0)
        panic("disk_rw_many: virtio-blk request failed");
      head = (head + 1) % DISK_WINDOW;
      count--;
    }
  }
}

// disk_rw for n locked buffers at once.
void
disk_rw_batch(struct buf **bufs, int n, int write)
{
  uint blocknos[DISK_WINDOW];
  uchar *datas[DISK_WINDOW];
  int i, k;

  for(i = 0; i < n; i += k){
    for(k = 0; k < DISK_WINDOW && i + k < n; k++){
      blocknos[k] = bufs[i + k]->blockno;
      datas[k] = bufs[i + k]->data;
    }
    disk_rw_many(blocknos, datas, k, write);
  }
}

void
disk_intr(void)
{
  virtio_blk_intr();
}
