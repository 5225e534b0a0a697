// drivers.h: what the Swift drivers (Sources/Drivers) export to the kernel's
// C code. In the module map, so each Swift definition (`@c @implementation`)
// is checked against its prototype here by the compiler.
#pragma once
#include <stdint.h>

// ---- network interface cards: main.c calls each probe once, after netinit();
// each registers the devices it finds with the network layer (netdev.h).
// Probe order is interface order: the first NIC found is en0.
void virtio_net_probe(void);   // Sources/Drivers/VirtIO/NetExports.swift
// Intel 82540EM (QEMU -device e1000) on PCI bus 0: assigns its BARs from the
// PCI memory window and routes its INTx line.
void e1000_probe(void);        // Sources/Drivers/E1000/Exports.swift

// ---- the virtio block device (Sources/Drivers/VirtIO/Exports.swift); Kernel/disk.c
// is the only caller.

// Find the virtio-blk device, bring it up and return its PLIC irq, or -1.
int32_t virtio_blk_init(void);

// Read (write == 0) or write len bytes (a multiple of 512) at sector;
// sleeps until the device is done. Returns 0, or -1 on a device error.
int32_t virtio_blk_rw(uint64_t sector, void *data, uint32_t len, int32_t write);

// Start a request without waiting (several may be in flight): n (1..32)
// buffers of len bytes (a multiple of 512) each, which the disk holds one after
// the other from sector, as one request whose data is all n buffers
// (virtio-blk's scatter-gather), so a run of consecutive blocks is one request.
// Returns a handle >= 0 for virtio_blk_wait; -2 if the queue is full and
// mayblock is 0 (collect one of your own first); -1 for a bad request. The
// device is not told until virtio_blk_kick: submit a batch, kick once, then wait.
int32_t virtio_blk_submit(uint64_t sector, void *const *datas, int32_t n, uint32_t len,
                          int32_t write, int32_t mayblock);

// Notify the device of every submitted request (one doorbell for a batch, so
// the device can merge adjacent blocks into one transfer).
void virtio_blk_kick(void);

// Sleep until the request with this handle is done and free it.
// Returns 0, or -1 on a device error. Every handle must be waited for once.
int32_t virtio_blk_wait(int32_t handle);

// The block device's interrupt handler.
void virtio_blk_intr(void);

// ---- the virtio entropy device (Sources/Drivers/VirtIO/RngExports.swift);
// Kernel/random.c is the only caller. Answers go to random_add_entropy (entropy.h).

// Find the device, bring it up and seed the pool from it, waiting (polling) a
// bounded time for its first answer. Returns its PLIC irq, or -1 if none.
int32_t virtio_rng_init(void);

// Ask for fresh bytes unless a request is already out (a reseed): the
// interrupt delivers them. Returns 1 if a request is out, 0 if no device.
int32_t virtio_rng_request(void);

// The entropy device's interrupt handler.
void virtio_rng_intr(void);
