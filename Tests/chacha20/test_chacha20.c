// Host check of Kernel/chacha20.c against RFC 8439's test vectors (§2.3.2
// and A.1 #2): cc -I Kernel Tests/chacha20/test_chacha20.c Kernel/chacha20.c
#include <stdio.h>
#include <string.h>
#include "chacha20.h"

static int
check(const char *name, const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
      const char *hex)
{
  uint8_t out[64];
  char got[129];

  chacha20_block(key, counter, nonce, out);
  for(int i = 0; i < 64; i++)
    sprintf(got + 2 * i, "%02x", out[i]);
  if(strcmp(got, hex) != 0){
    printf("FAIL %s\n  got  %s\n  want %s\n", name, got, hex);
    return 1;
  }
  printf("ok   %s\n", name);
  return 0;
}

int
main(void)
{
  // §2.3.2: key 00 01 .. 1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00, counter 1
  uint32_t key[8], nonce[3] = {0x09000000, 0x4a000000, 0};
  uint32_t zero[8] = {0}, znonce[3] = {0};
  for(int i = 0; i < 8; i++)
    key[i] = (4 * i) | (4 * i + 1) << 8 | (4 * i + 2) << 16 | (uint32_t)(4 * i + 3) << 24;
  int bad = check("RFC 8439 2.3.2", key, 1, nonce,
                  "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                  "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
  // A.1 test vector #2: all-zero key and nonce, counter 1
  bad |= check("RFC 8439 A.1 #2", zero, 1, znonce,
               "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
               "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f");
  return bad;
}
