// Functions the Swift VirtIO module exports to the kernel's C code
// (Sources/VirtIO/Exports.swift). Not part of the Swift module map: C only.
#pragma once
#include <stdint.h>

// Find the virtio-blk device, bring it up and return its PLIC irq, or -1.
int32_t virtio_blk_init(void);

// Read (write == 0) or write len bytes (a multiple of 512) at sector;
// sleeps until the device is done. Returns 0, or -1 on a device error.
int32_t virtio_blk_rw(uint64_t sector, void *data, uint32_t len, int32_t write);

// The block device's interrupt handler.
void virtio_blk_intr(void);
