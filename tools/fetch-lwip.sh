#!/bin/sh
# fetch-lwip.sh: lwIP 2.1.3 from Debian's lwip source package, unpacked into
# .deps/lwip-2.1.3/ (tools/fetch-debian-source.sh does the work). The sha256
# is the upstream tarball's, as in the package's .dsc.
# Usage: tools/fetch-lwip.sh (as root; from anywhere). Silent once done.
exec "$(dirname "$0")/fetch-debian-source.sh" lwip lwip 2.1.3+dfsg1-2 \
    lwip_2.1.3+dfsg1.orig.tar.xz \
    0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24 \
    lwip-2.1.3 src/core
