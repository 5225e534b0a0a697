#!/bin/sh
# fetch-mbedtls.sh: mbedTLS 2.28.3 from Debian 12's mbedtls source package,
# unpacked into .deps/mbedtls-2.28.3/ (tools/fetch-debian-source.sh does the
# work). Only the upstream tarball is used: Debian's patches change its build
# and its default config, and the guest's build has a config of its own
# (User/tls/mbedtls_config.h). The sha256 is the value in mbedtls_2.28.3-1.dsc
# (Checksums-Sha256; 3,952,799 bytes).
# Usage: tools/fetch-mbedtls.sh (as root; from anywhere). Silent once done.
exec "$(dirname "$0")/fetch-debian-source.sh" mbedtls mbedtls 2.28.3-1 \
    mbedtls_2.28.3.orig.tar.gz \
    3b4953aa55a681e084d31892d9904cc5328d6b4958ea57b90ae4b4f94ae69a8d \
    mbedtls-2.28.3 library/ssl_tls.c
