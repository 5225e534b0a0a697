#!/bin/sh
# fetch-debian-source.sh: get an upstream tarball from a Debian source package,
# check it against a pinned sha256 and unpack it into .deps/ (ignored by git;
# `make clean` leaves it alone). tools/fetch-lwip.sh and tools/fetch-mbedtls.sh
# say which package; this does the fetching for both.
#
# The machine's apt has no deb-src entry and we must not change its configuration,
# so apt-get runs against a private one-line source list and a private lists
# folder. The mirror URI is read at run time from the machine's own apt sources,
# so no host name is written into the repository. The upstream tarball is checked
# against the sha256 pinned by the caller (the same value as in the package's .dsc).
#
# Usage: tools/fetch-debian-source.sh NAME PKG VERSION ORIG SHA256 DEST CHECK
#   NAME   short name for messages (lwip)
#   PKG, VERSION  the source package and its Debian version (lwip 2.1.3+dfsg1-2)
#   ORIG   the upstream tarball in it (lwip_2.1.3+dfsg1.orig.tar.xz)
#   SHA256 its pinned checksum
#   DEST   the folder under .deps/ to unpack into (lwip-2.1.3)
#   CHECK  a path inside the tree that must exist (src/core)
# As root; idempotent: once the tree and its checksum stamp exist it does nothing, silently.
set -eu
[ $# = 7 ] || { echo "usage: $0 NAME PKG VERSION ORIG SHA256 DEST CHECK" >&2; exit 2; }
NAME=$1 PKG=$2 VERSION=$3 ORIG=$4 SHA256=$5 CHECK=$7

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEPS=$ROOT/.deps
DEST=$DEPS/$6
STAMP=$DEST/.verified-sha256

die() {
    echo "fetch-$NAME: error: $*" >&2
    exit 1
}

# Already done? Then say nothing (make calls us on every build that lacks the tree).
if [ -e "$DEST/$CHECK" ] && [ -f "$STAMP" ] &&
   [ "$(cat "$STAMP")" = "$SHA256" ]; then
    exit 0
fi

echo "$NAME: fetching Debian source package $PKG $VERSION ..."

command -v apt-get >/dev/null 2>&1 ||
    die "apt-get not found: this script needs Debian's apt to fetch the $PKG source package"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum not found (coreutils)"
command -v tar >/dev/null 2>&1 || die "tar not found"
[ "$(id -u)" = 0 ] || die "run as root (apt-get needs it to write its private lists)"

# The Debian mirror and release, from the machine's own configuration.
# deb822 format first: the first stanza with a "deb" type and a plain suite
# (no -updates/-security); then the one-line format.
mirror=""
suite=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    set -- $(awk '
        /^[ \t]*$/ { if (t ~ /deb/ && u != "" && s != "") { print u, s; exit } t=u=s=""; next }
        /^Types:/  { t = $0 }
        /^URIs:/   { u = $2 }
        /^Suites:/ { for (i = 2; i <= NF; i++) if ($i !~ /-/) { s = $i; break } }
        END        { if (t ~ /deb/ && u != "" && s != "") print u, s }
    ' /etc/apt/sources.list.d/debian.sources | head -n 1)
    mirror=${1:-}
    suite=${2:-}
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    set -- $(awk '$1 == "deb" {
                      sub(/\[[^]]*\][ \t]*/, "")   # drop [ options ]
                      if ($3 !~ /-/) { print $2, $3; exit }
                  }' /etc/apt/sources.list)
    mirror=${1:-}
    suite=${2:-}
fi
[ -n "$mirror" ] && [ -n "$suite" ] ||
    die "no Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"

work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-$NAME.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/dl"
echo "deb-src $mirror $suite main" > "$work/sources.list"
APTOPTS="-o Dir::Etc::SourceList=$work/sources.list -o Dir::Etc::SourceParts=/dev/null
         -o Dir::State::Lists=$work/lists"

# apt's "_apt sandbox user" notice is harmless here; keep the output for errors.
# shellcheck disable=SC2086
apt-get -q $APTOPTS update > "$work/update.log" 2>&1 || {
    cat "$work/update.log" >&2
    die "apt-get update of the private deb-src list ($mirror $suite) failed"
}
# shellcheck disable=SC2086
(cd "$work/dl" && apt-get -q $APTOPTS source --download-only "$PKG=$VERSION") \
    > "$work/source.log" 2>&1 || {
    cat "$work/source.log" >&2
    die "apt-get source --download-only $PKG=$VERSION failed"
}

[ -f "$work/dl/$ORIG" ] || die "apt-get did not deliver $ORIG"
got=$(sha256sum "$work/dl/$ORIG" | cut -d' ' -f1)
[ "$got" = "$SHA256" ] ||
    die "checksum mismatch for $ORIG: expected $SHA256, got $got; refusing to use it"

# Unpack into a fresh folder, then move it into place, so an interrupted run
# never leaves a half tree that looks complete.
mkdir -p "$work/x"
tar -xf "$work/dl/$ORIG" -C "$work/x"   # .xz or .gz: tar tells them apart
top=$(find "$work/x" -mindepth 1 -maxdepth 1 -type d | head -n 1)
[ -n "$top" ] && [ -e "$top/$CHECK" ] || die "unexpected layout in $ORIG (no $CHECK)"
mkdir -p "$DEPS"
rm -rf "$DEST"
mv "$top" "$DEST"
echo "$SHA256" > "$STAMP"
echo "$NAME: verified sha256 $SHA256, unpacked into .deps/$(basename "$DEST")"
