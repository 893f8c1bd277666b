#!/bin/sh
# Build musl for an architecture Debian 12 has no musl-dev for (riscv64: not a release
# architecture of bookworm) from Debian 12's musl source package, with Debian's cross compiler
# TRIPLET-gcc: static library, start files, headers and a musl-gcc.specs under OUT, used as
# TRIPLET-gcc -specs OUT/lib/musl-gcc.specs (make release, issue 11).
#
#   sh .ci/musl.sh OUT TRIPLET          MUSL_CACHE: where the source package is kept
set -eu
out=${1:?usage: musl.sh OUT TRIPLET}
triplet=${2:?usage: musl.sh OUT TRIPLET}
command -v "$triplet-gcc" >/dev/null || { echo "musl.sh: no $triplet-gcc (sh .ci/setup release)" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
dsc=$(sh "$(dirname "$0")/debsrc.sh" musl "${MUSL_CACHE:-$out/apt}")
rm -rf "$out/src" && mkdir -p "$out/src"
dpkg-source -x "$dsc" "$out/src/musl" >"$out/unpack.log" 2>&1 || { cat "$out/unpack.log" >&2; exit 1; }
# Static only; the gcc wrapper's specs file is what make release needs. No paths of this
# build end up in the library (musl builds without debug information).
(
	cd "$out/src/musl"
	./configure --prefix="$out" --syslibdir="$out/lib" --target="$triplet" \
		CROSS_COMPILE="$triplet-" --disable-shared --enable-wrapper=gcc
	make -j"$(nproc)"
	make install
) >"$out/build.log" 2>&1 || { tail -n 30 "$out/build.log" >&2; exit 1; }
[ -f "$out/lib/musl-gcc.specs" ] || { echo "musl.sh: no musl-gcc.specs installed" >&2; exit 1; }
echo "musl: built $(basename "$dsc" .dsc) for $triplet in $out"
