#!/bin/bash
# build-refs.sh: builds the benchmark references once into .deps/bench/ (ignored,
# kept by `make clean`):
#   .deps/bench/Image            Linux 6.1 (Debian's linux-source-6.1), riscv64 tinyconfig
#                                plus what a networked virt guest needs, -O2, SLUB
#   .deps/bench/initramfs.cpio   its init: tools/bench/refinit.c, static (HTTP, sink, echo, run)
#   .deps/bench/www/             the files both guests serve (same bytes as ours)
#   .deps/bench/tls/             httpd and httpget for the Linux guest: our sources
#                                (User/posix, User/tls) and mbedTLS with our config,
#                                in its initramfs beside init
#   .deps/bench/tlskeys/         the TLS rows' CA and server key (ECDSA P-256)
# Installs what it needs with apt (and says so). Each output is rebuilt only when
# missing or when its inputs changed (a stamp holds the inputs' checksum).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=.deps/bench
mkdir -p "$OUT"
JOBS=$(nproc)

need_pkgs=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
for p in linux-source-6.1 gcc-riscv64-linux-gnu u-boot-qemu apache2-utils wrk \
         python3-matplotlib flex bison bc cpio xz-utils curl qemu-system-misc dnsmasq-base iproute2 openssl; do
    have "$p" || need_pkgs+=("$p")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
    echo "bench: installing with apt: ${need_pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# ---- Linux kernel
KSRC=$OUT/linux-source-6.1
KSTAMP=$OUT/Image.stamp
kinputs=$(sha256sum tools/bench/linux.config /usr/src/linux-source-6.1.tar.xz | sha256sum | cut -c1-16)
if [ ! -f "$OUT/Image" ] || [ "$(cat "$KSTAMP" 2>/dev/null)" != "$kinputs" ]; then
    if [ ! -d "$KSRC" ]; then
        echo "bench: unpacking linux-source-6.1"
        tar -C "$OUT" -xJf /usr/src/linux-source-6.1.tar.xz
    fi
    echo "bench: building Linux 6.1 for riscv64 (tinyconfig + tools/bench/linux.config; ~2-4 min)"
    mk() { make -s -C "$KSRC" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- "$@"; }
    mk tinyconfig >/dev/null
    "$KSRC"/scripts/kconfig/merge_config.sh -m -O "$KSRC" "$KSRC/.config" \
        tools/bench/linux.config >/dev/null
    mk olddefconfig >/dev/null
    # Options dropped by olddefconfig (unmet dependencies) are reported; the ones
    # the benchmark cannot work without stop the build.
    while read -r line; do
        case "$line" in CONFIG_*=y)
            grep -qx "$line" "$KSRC/.config" || echo "bench: note: $line did not stick" >&2;;
        esac
    done < tools/bench/linux.config
    for o in SOC_VIRT SERIAL_8250_CONSOLE BLK_DEV_INITRD INET IPV6 IP_PNP_DHCP VIRTIO_MMIO VIRTIO_NET BINFMT_ELF \
         CC_OPTIMIZE_FOR_PERFORMANCE SLUB PCI_HOST_GENERIC E1000; do
        grep -qx "CONFIG_$o=y" "$KSRC/.config" || { echo "bench: CONFIG_$o missing" >&2; exit 1; }
    done
    mk -j"$JOBS" Image
    cp "$KSRC/arch/riscv/boot/Image" "$OUT/Image"
    cp "$KSRC/vmlinux" "$OUT/vmlinux"
    echo "$kinputs" > "$KSTAMP"
fi

# ---- the files served: the same generator and sizes as ours
mkdir -p "$OUT/www"
[ -f "$OUT/www/big.bin" ] || python3 tools/genfile.py "$OUT/www/big.bin" 1048576
[ -f "$OUT/www/big16.bin" ] || python3 tools/genfile.py "$OUT/www/big16.bin" 16777216
for f in www/*; do [ -f "$f" ] && cp -u "$f" "$OUT/www/"; done

# ---- the TLS programs of the Linux guest: the same mbedTLS sources, the same
# configuration (User/tls/mbedtls_config.h), the same tls library (User/tls/)
# and the same httpd.c and httpget.c as ours, compiled by the same clang with
# the same -O2, for riscv64 Linux (glibc, static, linked by the cross gcc as
# refinit is). The only difference in the code generated: rv64gc (F and D,
# lp64d: glibc's ABI) instead of ours' rv64imac; mbedTLS is integer code.
CLANG=${CLANG:-$(dirname "$(command -v swiftc 2>/dev/null || echo /opt/swift/usr/bin/swiftc)")/clang}
MBEDTLS=.deps/mbedtls-2.28.3
[ -d "$MBEDTLS/library" ] || tools/fetch-mbedtls.sh
TLSOUT=$OUT/tls
tinputs=$( (cat "$MBEDTLS"/library/*.c User/tls/*.c User/tls/*.h User/posix/httpd.c User/posix/httpget.c \
           tools/bench/build-refs.sh; "$CLANG" --version) | sha256sum | cut -c1-16)
if [ ! -f "$TLSOUT/httpd" ] || [ "$(cat "$TLSOUT/stamp" 2>/dev/null)" != "$tinputs" ]; then
    echo "bench: building mbedTLS, the tls library, httpd and httpget for the Linux guest"
    rm -rf "$TLSOUT"; mkdir -p "$TLSOUT/obj"
    tcc() { "$CLANG" --target=riscv64-linux-gnu -march=rv64imafdc -mabi=lp64d -O2 \
                -I User/tls -I "$MBEDTLS/include" '-DMBEDTLS_CONFIG_FILE="mbedtls_config.h"' "$@"; }
    export -f tcc; export CLANG MBEDTLS TLSOUT
    # mbedTLS's warnings are upstream's (as in the Makefile)
    ls "$MBEDTLS"/library/*.c | xargs -P"$JOBS" -I{} bash -c \
        'tcc -w -c "$1" -o "$TLSOUT/obj/mbedtls-$(basename "$1" .c).o"' _ {}
    for f in User/tls/*.c User/posix/httpd.c User/posix/httpget.c; do
        tcc -Wall -Werror -c "$f" -o "$TLSOUT/obj/$(basename "$f" .c).o"
    done
    lib=$(ls "$TLSOUT"/obj/mbedtls-*.o; for f in User/tls/*.c; do echo "$TLSOUT/obj/$(basename "$f" .c).o"; done)
    for p in httpd httpget; do
        # shellcheck disable=SC2086
        riscv64-linux-gnu-gcc -static -o "$TLSOUT/$p" "$TLSOUT/obj/$p.o" $lib
    done
    echo "$tinputs" > "$TLSOUT/stamp"
fi
# The TLS rows' keys (both guests and the host's stand-in use the same ones):
# a CA and a server certificate, ECDSA P-256 both, for every address a client
# names (127.0.0.1 through the forward, 10.0.2.2 the host seen from a guest).
if [ ! -f "$OUT/tlskeys/bench.key" ]; then
    echo "bench: making the TLS rows' CA and server certificate (ECDSA P-256)"
    K=$OUT/tlskeys; mkdir -p "$K"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
        -subj "/CN=xv6-net bench CA" -keyout "$K/ca.key" -out "$K/ca.crt" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=bench" \
        -keyout "$K/bench.key" -out "$K/bench.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,IP:10.0.2.2,IP:10.0.2.15,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' > "$K/ext"
    openssl x509 -req -in "$K/bench.csr" -CA "$K/ca.crt" -CAkey "$K/ca.key" -CAcreateserial \
        -days 3650 -sha256 -extfile "$K/ext" -out "$K/bench.crt" 2>/dev/null
fi

# ---- initramfs: /init plus /www
IROOT=$OUT/initramfs
iinputs=$(cat tools/bench/refinit.c "$OUT"/www/* "$TLSOUT/stamp" "$OUT"/tlskeys/*.crt | sha256sum | cut -c1-16)
if [ ! -f "$OUT/initramfs.cpio" ] || [ "$(cat "$OUT/initramfs.stamp" 2>/dev/null)" != "$iinputs" ]; then
    echo "bench: building the Linux guest's init (tools/bench/refinit.c)"
    rm -rf "$IROOT"; mkdir -p "$IROOT/www" "$IROOT/dev" "$IROOT/proc"
    riscv64-linux-gnu-gcc -static -O2 -Wall -o "$IROOT/init" tools/bench/refinit.c
    cp "$OUT"/www/* "$IROOT/www/"
    mkdir -p "$IROOT/tls"
    cp "$TLSOUT/httpd" "$TLSOUT/httpget" "$IROOT/"
    cp "$OUT/tlskeys/bench.crt" "$OUT/tlskeys/bench.key" "$OUT/tlskeys/ca.crt" "$IROOT/tls/"
    (cd "$IROOT" && find . | cpio -o -H newc --quiet) > "$OUT/initramfs.cpio"
    echo "$iinputs" > "$OUT/initramfs.stamp"
fi

[ -f /usr/lib/u-boot/qemu-riscv64/u-boot.bin ]
echo "bench: references ready in $OUT"
