#!/bin/sh
# Build libcap.a for musl from Debian 12's libcap2 source package (design §4; issue 8).
# Debian's own libcap.a is built for glibc and does not link with musl (__sprintf_chk), so:
# apt-get source with a private sources list under OUT (the system's apt configuration and
# state are not touched; apt checks the .dsc's signature and every file's checksum), then
# libcap's own Makefile with CC=CC. Nothing of libcap is kept in the repository.
#
#   sh .ci/libcap.sh OUT [CC]     ->  OUT/libcap.a, OUT/include/{sys,linux}/*.h
set -eu
out=${1:?usage: libcap.sh OUT [CC]}
cc=${2:-musl-gcc}
mkdir -p "$out"
out=$(cd "$out" && pwd)
apt="$out/apt"
# Debian 12's main archive and its point-release updates. The security archive serves no
# sources on every mirror, so the newest version these two list is the one built.
mirror=${LIBCAP_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$apt/prefs"
cat >"$apt/sources.list" <<-LIST
	deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main
	deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm-updates main
LIST
opts="-o Dir::Etc::SourceList=$apt/sources.list -o Dir::Etc::SourceParts=$apt/parts \
-o Dir::Etc::PreferencesParts=$apt/prefs -o Dir::State::Lists=$apt/lists \
-o Dir::Cache=$apt/cache -o APT::Sandbox::User=root -q"
# shellcheck disable=SC2086
apt-get $opts update >"$apt/update.log" 2>&1 || { cat "$apt/update.log" >&2; exit 1; }
# shellcheck disable=SC2086
version=$(apt-cache $opts showsrc libcap2 | sed -n 's/^Version: //p' | sort -V | tail -n 1)
[ -n "$version" ] || { echo "libcap.sh: no libcap2 source package listed" >&2; exit 1; }
rm -rf "$out/src" && mkdir -p "$out/src"
# shellcheck disable=SC2086
(cd "$out/src" && apt-get $opts source "libcap2=$version" >"$apt/source.log" 2>&1) ||
	{ cat "$apt/source.log" >&2; exit 1; }
tree=$(find "$out/src" -mindepth 1 -maxdepth 1 -type d -name 'libcap2-*' | head -n 1)
# Only the library: libcap's Makefile adds -Iinclude and -Iinclude/uapi (its own copy of the
# kernel's capability.h, which musl-gcc cannot see otherwise). BUILD_CC runs _makenames.
make -s -C "$tree/libcap" CC="$cc" BUILD_CC="${HOST_CC:-gcc}" \
	COPTS="-Os -ffunction-sections -fdata-sections ${LIBCAP_CFLAGS:-}" libcap.a >"$apt/make.log" 2>&1 ||
	{ cat "$apt/make.log" >&2; exit 1; }
mkdir -p "$out/include/sys" "$out/include/linux"
cp "$tree/libcap/include/sys/capability.h" "$out/include/sys/"
cp "$tree/libcap/include/uapi/linux/capability.h" "$out/include/linux/"
cp "$tree/libcap/libcap.a" "$out/libcap.a.new"
mv "$out/libcap.a.new" "$out/libcap.a"
echo "libcap: built libcap2 $version for $cc"
