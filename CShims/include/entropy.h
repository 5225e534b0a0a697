// entropy.h: the kernel's random number generator (Kernel/random.c) as
// CShims offers it to Swift (the virtio entropy driver feeds it) and to the
// lwIP port (Net/lwip_port.c draws from it): neither includes Kernel/ headers.
// docs/random.md says where the entropy comes from and who uses it.
#pragma once
#include <stdint.h>

// Mix len bytes from an entropy source into the pool; the first 32 bytes
// from a device mark the pool seeded and wake getrandom's sleepers. Any
// context (the virtio-rng interrupt), never sleeps.
void random_add_entropy(const void *buf, uint32_t len);

// 32 random bits; never sleeps, any context. Before the pool is seeded they
// come from the boot-time clock alone (docs/random.md): lwIP's first port
// numbers and DHCP ids are drawn that early.
uint32_t random_u32(void);
