#!/bin/bash
# build-refs.sh: builds the benchmark references once into .deps/bench/ (ignored,
# kept by `make clean`):
#   .deps/bench/Image            Linux 6.1 (Debian's linux-source-6.1), riscv64 tinyconfig
#                                plus what a networked virt guest needs, -O2, SLUB
#   .deps/bench/initramfs.cpio   its init: tools/bench/refinit.c, static (HTTP, sink, echo)
#   .deps/bench/www/             the files both guests serve (same bytes as ours)
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
         python3-matplotlib flex bison bc cpio xz-utils curl qemu-system-misc dnsmasq-base iproute2; do
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

# ---- initramfs: /init plus /www
IROOT=$OUT/initramfs
iinputs=$(cat tools/bench/refinit.c "$OUT"/www/* | sha256sum | cut -c1-16)
if [ ! -f "$OUT/initramfs.cpio" ] || [ "$(cat "$OUT/initramfs.stamp" 2>/dev/null)" != "$iinputs" ]; then
    echo "bench: building the Linux guest's init (tools/bench/refinit.c)"
    rm -rf "$IROOT"; mkdir -p "$IROOT/www" "$IROOT/dev" "$IROOT/proc"
    riscv64-linux-gnu-gcc -static -O2 -Wall -o "$IROOT/init" tools/bench/refinit.c
    cp "$OUT"/www/* "$IROOT/www/"
    (cd "$IROOT" && find . | cpio -o -H newc --quiet) > "$OUT/initramfs.cpio"
    echo "$iinputs" > "$OUT/initramfs.stamp"
fi

[ -f /usr/lib/u-boot/qemu-riscv64/u-boot.bin ]
echo "bench: references ready in $OUT"
