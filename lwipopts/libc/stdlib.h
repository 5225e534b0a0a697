// stdlib.h for lwIP in the freestanding kernel. lwIP's netif_find() parses an
// interface number with atoi; the kernel has none of its own, so the port
// supplies one under a private name (no clash with any later kernel atoi).
#pragma once

int lwip_port_atoi(const char *s);
#define atoi(s) lwip_port_atoi(s)
