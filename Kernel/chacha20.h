// chacha20.h: the ChaCha20 block function (RFC 8439 §2.3), the core of the
// kernel's random number generator (random.c). Plain C with fixed-size types
// only, so a host test can check it against the RFC's vectors.
#pragma once
#include <stdint.h>

// One 64-byte block of key stream for key (8 words), block counter and
// nonce (3 words), as RFC 8439 §2.3 defines it: out is the serialised
// (little-endian) state after 20 rounds plus the input state.
void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
                    uint8_t out[64]);
