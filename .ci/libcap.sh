#!/bin/sh
# Build libcap.a for musl from Debian 12's libcap2 source package (design §4; issues 8, 11).
# Debian's own libcap.a is built for glibc and does not link with musl (__sprintf_chk), so:
# the source package (.ci/debsrc.sh), then libcap's own Makefile with CC=CC, which may be a
# cross compiler. Nothing of libcap is kept in the repository.
#
#   sh .ci/libcap.sh OUT [CC]     ->  OUT/libcap.a, OUT/include/{sys,linux}/*.h
#
# LIBCAP_CACHE (default OUT/apt): the downloaded source package, shared by the builds for
# several architectures (make release). LIBCAP_CFLAGS: added to libcap's. LIBCAP_AR,
# LIBCAP_RANLIB: the target's (default ar, ranlib).
set -eu
out=${1:?usage: libcap.sh OUT [CC]}
cc=${2:-musl-gcc}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Fetched once (.ci/debsrc.sh: apt checks it); dpkg-source checks the files against the .dsc.
dsc=$(sh "$(dirname "$0")/debsrc.sh" libcap2 "${LIBCAP_CACHE:-$out/apt}")
rm -rf "$out/src" && mkdir -p "$out/src"
dpkg-source -x "$dsc" "$out/src/libcap2" >"$out/unpack.log" 2>&1 ||
	{ cat "$out/unpack.log" >&2; exit 1; }
tree=$out/src/libcap2
# Only the library: libcap's Makefile adds -Iinclude and -Iinclude/uapi (its own copy of the
# kernel's capability.h, which musl-gcc cannot see otherwise). BUILD_CC runs _makenames.
make -s -C "$tree/libcap" CC="$cc" BUILD_CC="${HOST_CC:-gcc}" AR="${LIBCAP_AR:-ar}" \
	RANLIB="${LIBCAP_RANLIB:-ranlib}" \
	COPTS="-Os -ffunction-sections -fdata-sections ${LIBCAP_CFLAGS:-}" libcap.a >"$out/make.log" 2>&1 ||
	{ cat "$out/make.log" >&2; exit 1; }
mkdir -p "$out/include/sys" "$out/include/linux"
cp "$tree/libcap/include/sys/capability.h" "$out/include/sys/"
cp "$tree/libcap/include/uapi/linux/capability.h" "$out/include/linux/"
cp "$tree/libcap/libcap.a" "$out/libcap.a.new"
mv "$out/libcap.a.new" "$out/libcap.a"
echo "libcap: built $(basename "$dsc" .dsc) for $cc"
