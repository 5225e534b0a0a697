#!/bin/sh
# tools/fuzz/build.sh: build the host fuzz targets into build/fuzz/.
#
#   tools/fuzz/build.sh            -> build/fuzz/fuzz_netif (libFuzzer + ASan + UBSan)
#
# The compiler is the Swift toolchain's clang (/opt/swift/usr/bin/clang), which
# ships libclang_rt.fuzzer for x86_64 Linux, so nothing is installed. lwIP is the
# pinned source tree (.deps/lwip-2.1.3, fetched and verified by tools/fetch-lwip.sh)
# with the kernel's lwipopts (tools/fuzz/lwipopts.h adds two host-only options);
# the netif glue is the kernel's own (Net/lwip_netif.c and friends).
set -eu
cd "$(dirname "$0")/../.."
TOOLBIN=${TOOLBIN:-/opt/swift/usr/bin/}
CC="${TOOLBIN}clang"
LWIP=.deps/lwip-2.1.3
OUT=build/fuzz
[ -f "$LWIP/.verified-sha256" ] || tools/fetch-lwip.sh
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' |
     "$CC" -fuse-ld=lld -fsanitize=fuzzer -x c - -o "${TMPDIR:-/tmp}/fuzzprobe.$$" 2>/dev/null; then
  echo "build.sh: $CC has no libFuzzer runtime (libclang_rt.fuzzer)" >&2
  exit 1
fi
mkdir -p "$OUT/obj"
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-g -O1 -fno-omit-frame-pointer $SAN -I tools/fuzz -I Net -I CShims/include -I $LWIP/src/include -w"
CORE="def dns inet_chksum init ip mem memp netif pbuf raw stats sys tcp tcp_in tcp_out timeouts udp"
IPV4="dhcp etharp icmp ip4 ip4_addr ip4_frag"
# the kernel's lwIP is dual-stack (lwipopts.h: LWIP_IPV6): the same IPv6 files the Makefile builds
IPV6="dhcp6 ethip6 icmp6 inet6 ip6 ip6_addr ip6_frag mld6 nd6"
# The kernel's glue: every Net/lwip_*.c but the port (kernel clock,
# panic) and the socket shim (lwip_sock.c, lwip_sock_dgram.c: they need the
# Swift layer); fuzz_netif.c fakes those.
GLUE=$(ls Net/lwip_*.c | grep -v -e lwip_port.c -e lwip_sock.c -e lwip_sock_dgram.c)
SRCS="tools/fuzz/fuzz_netif.c $GLUE $LWIP/src/netif/ethernet.c"
for f in $CORE; do SRCS="$SRCS $LWIP/src/core/$f.c"; done
for f in $IPV4; do SRCS="$SRCS $LWIP/src/core/ipv4/$f.c"; done
for f in $IPV6; do SRCS="$SRCS $LWIP/src/core/ipv6/$f.c"; done
OBJS=""
for s in $SRCS; do
  o="$OUT/obj/$(basename "$s" .c).o"
  if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ tools/fuzz/lwipopts.h -nt "$o" ] ||
     [ lwipopts/lwipopts.h -nt "$o" ] || [ tools/fuzz/peer_apps.h -nt "$o" ]; then
    rm -f "$o"   # a failed compile must not leave a stale object behind
    "$CC" $CFLAGS -c "$s" -o "$o" &
  fi
  OBJS="$OBJS $o"
done
wait
rm -f "${TMPDIR:-/tmp}/fuzzprobe.$$"
"$CC" -fuse-ld=lld -fsanitize=fuzzer,address,undefined $OBJS -o "$OUT/fuzz_netif"
echo "built $OUT/fuzz_netif"
