// chacha20.c: the ChaCha20 block function, written from RFC 8439 §2.1-2.3.
//
// The state is 16 32-bit words: four constants ("expand 32-byte k"), the
// 256-bit key, a 32-bit block counter and a 96-bit nonce. Twenty rounds
// alternate between mixing the four columns and the four diagonals of the
// 4x4 state with the quarter round (add, xor, rotate); the input state is
// then added to the result word by word, which makes the function one-way:
// a block of output does not give back the key.
#include "chacha20.h"

#define ROTL(x, n) ((x) << (n) | (x) >> (32 - (n)))

// RFC 8439 §2.1: the quarter round on words a, b, c, d of the state.
#define QR(s, a, b, c, d)                                     \
  do {                                                        \
    s[a] += s[b]; s[d] ^= s[a]; s[d] = ROTL(s[d], 16);        \
    s[c] += s[d]; s[b] ^= s[c]; s[b] = ROTL(s[b], 12);        \
    s[a] += s[b]; s[d] ^= s[a]; s[d] = ROTL(s[d], 8);         \
    s[c] += s[d]; s[b] ^= s[c]; s[b] = ROTL(s[b], 7);         \
  } while(0)

void
chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
               uint8_t out[64])
{
  uint32_t in[16], s[16];
  int i;

  // "expand 32-byte k" as four little-endian words (§2.3)
  in[0] = 0x61707865;
  in[1] = 0x3320646e;
  in[2] = 0x79622d32;
  in[3] = 0x6b206574;
  for(i = 0; i < 8; i++)
    in[4 + i] = key[i];
  in[12] = counter;
  in[13] = nonce[0];
  in[14] = nonce[1];
  in[15] = nonce[2];
  for(i = 0; i < 16; i++)
    s[i] = in[i];

  for(i = 0; i < 10; i++){   // 10 double rounds = 20 rounds
    QR(s, 0, 4, 8, 12);      // columns
    QR(s, 1, 5, 9, 13);
    QR(s, 2, 6, 10, 14);
    QR(s, 3, 7, 11, 15);
    QR(s, 0, 5, 10, 15);     // diagonals
    QR(s, 1, 6, 11, 12);
    QR(s, 2, 7, 8, 13);
    QR(s, 3, 4, 9, 14);
  }

  for(i = 0; i < 16; i++){
    uint32_t w = s[i] + in[i];
    out[4 * i] = w;
    out[4 * i + 1] = w >> 8;
    out[4 * i + 2] = w >> 16;
    out[4 * i + 3] = w >> 24;
  }
  // The caller's key must not outlive its use in stack copies either.
  for(i = 0; i < 16; i++)
    ((volatile uint32_t*)s)[i] = ((volatile uint32_t*)in)[i] = 0;
}
