#!/bin/sh
# Reproducibility of make release (issue 11): build it again in another directory, later,
# from a copy of the files git knows of (tracked or not ignored) without .git, and compare dist/SHA256SUMS with this tree's.
#
#   tests/repro.sh          (after make release; what .ci/run does)
#
# The commit and its time go in as GIT_SHA and SOURCE_DATE_EPOCH, as the Dockerfile passes
# them: the copy has no .git. The compilers, musl and the downloaded libcap source package are
# inputs, not outputs: the copy reuses this tree's build/dl and build/toolchain (libcap itself
# is built again). Any difference fails, naming the binaries that differ.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -s dist/SHA256SUMS ] || { echo "repro: no dist/SHA256SUMS (make release)" >&2; exit 1; }
sha=$(git rev-parse --short=7 HEAD)
epoch=$(git log -1 --format=%ct)
tmp=$(mktemp -d /tmp/init-repro.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/elsewhere/build"
git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - | tar -xf - -C "$tmp/elsewhere"
cp -R build/dl "$tmp/elsewhere/build/"
[ ! -d build/toolchain ] || cp -R build/toolchain "$tmp/elsewhere/build/"
# The riscv64 musl's specs name this tree's build/toolchain by its absolute path.
make -C "$tmp/elsewhere" -s release GIT_SHA="$sha" SOURCE_DATE_EPOCH="$epoch" \
	MUSL_riscv64="$root/build/toolchain/musl-riscv64/lib" >"$tmp/build.log" 2>&1 ||
	{ tail -n 30 "$tmp/build.log" >&2; echo "repro: the second build failed" >&2; exit 1; }
if cmp -s dist/SHA256SUMS "$tmp/elsewhere/dist/SHA256SUMS"; then
	echo "repro: $(wc -l <dist/SHA256SUMS) binaries identical when built again in $tmp/elsewhere"
	exit 0
fi
echo "repro: the binaries differ between $root and $tmp/elsewhere:" >&2
diff dist/SHA256SUMS "$tmp/elsewhere/dist/SHA256SUMS" >&2 || true
exit 1
