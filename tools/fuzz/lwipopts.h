// tools/fuzz/lwipopts.h: the kernel's lwIP configuration (lwipopts/lwipopts.h),
// built for the host fuzz target. Only what fuzzing needs differs:
#pragma once
#include "../../lwipopts/lwipopts.h"

// Checksum checks can be switched per netif (netif->chksum_flags), so one input
// byte decides whether the fuzzer must get checksums right: with them off it
// reaches TCP's state machine, with them on it exercises the checksum code.
#define LWIP_CHECKSUM_CTRL_PER_NETIF    1
// The peers the seeds talk as (10.0.2.2, 10.0.2.100) get fixed ARP entries, so
// replies leave at once and the harness sees their sequence numbers.
#define ETHARP_SUPPORT_STATIC_ENTRIES   1
// lwIP's own counter for TCP initial sequence numbers, as before the kernel
// drew them at random: inputs must replay the same way.
#undef LWIP_HOOK_TCP_ISN
