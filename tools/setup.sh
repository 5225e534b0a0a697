#!/usr/bin/env bash
# Installs what `make qemu` / `make test` / `make bench` need and is missing, saying
# what it does. Debian packages come through apt; lwIP's source is fetched by
# tools/fetch-lwip.sh when the kernel build needs it. Quiet when all is present.
# `posix` is what `make` itself needs for User/posix/: Debian's picolibc.
# `docs` is what `make docs` needs: the test bed's tools and Debian's matplotlib.
#   usage: tools/setup.sh qemu|test|bench|posix|docs
set -euo pipefail

mode=${1:-qemu}
# command-that-must-exist:debian-package
need=(qemu-system-riscv64:qemu-system-misc)
case "$mode" in
  qemu) ;;
  posix) need=() ;;
  test|docs) need+=(tshark:tshark dnsmasq:dnsmasq-base curl:curl socat:socat ip:iproute2 ping:iputils-ping) ;;
  bench) need+=(tshark:tshark curl:curl socat:socat ab:apache2-utils wrk:wrk taskset:util-linux) ;;
  *) echo "setup: unknown mode '$mode' (qemu, test, bench, posix or docs)" >&2; exit 2 ;;
esac

missing=()
for pair in "${need[@]}"; do
  cmd=${pair%%:*} pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("$pkg")
done
# The host unit tests of the socket layer link Debian's build of lwIP.
if [ "$mode" = test ] && ! dpkg -s liblwip-dev >/dev/null 2>&1; then
  missing+=(liblwip-dev)
fi

# The tutorial's plots are drawn by Debian's python3 with its matplotlib.
if [ "$mode" = docs ] && ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  missing+=(python3-matplotlib)
fi

# POSIX programs (User/posix/) link Debian's picolibc (a C library, no compiler).
if [ "$mode" = posix ] && ! dpkg -s picolibc-riscv64-unknown-elf >/dev/null 2>&1; then
  missing+=(picolibc-riscv64-unknown-elf)
fi
# The CA bundle the image carries for TLS clients (/etc/ssl/certs/ca-bundle.crt).
if [ "$mode" = posix ] && [ ! -f /etc/ssl/certs/ca-certificates.crt ]; then
  missing+=(ca-certificates)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} through apt (first use only)"
  if [ "$(id -u)" != 0 ]; then
    echo "setup: need root to install packages; run: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "setup: installed ${missing[*]}"
fi

if [ "$mode" = test ] || [ "$mode" = bench ] || [ "$mode" = docs ]; then
  # The integration tests drive the guest's console with pexpect.
  if ! python3 -c 'import pexpect' 2>/dev/null; then
    echo "setup: installing the Python package pexpect (first use only)"
    python3 -m pip install -q pexpect
  fi
fi
