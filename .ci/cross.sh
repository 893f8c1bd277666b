#!/bin/sh
# Install Debian's cross compilers and musl for the given targets (make toolchains; the
# Dockerfile for one target). Each argument is TRIPLET:DEBIAN-ARCH, as the Makefile's tables
# give them. The build machine's own architecture needs only gcc and musl-tools; another
# needs gcc-TRIPLET and musl-dev:DEBIAN-ARCH (multiarch: dpkg --add-architecture), except
# where Debian 12 carries no musl for it (riscv64), which make builds from musl's source
# package (.ci/musl.sh). Idempotent.
set -eu
[ $# -gt 0 ] || { echo "usage: cross.sh TRIPLET:DEBIAN-ARCH..." >&2; exit 2; }
native=$(dpkg --print-architecture)
# Debian 12's release architectures (its Release file's Architectures; riscv64 is not one).
released="amd64 arm64 armel armhf i386 mips64el mipsel ppc64el s390x"
pkgs="" arches=""
for t in "$@"; do
	triplet=${t%%:*} arch=${t#*:}
	if [ "$arch" = "$native" ]; then
		pkgs="$pkgs gcc musl-tools musl-dev"
		continue
	fi
	pkg=$(echo "$triplet" | tr _ -)
	pkgs="$pkgs gcc-$pkg binutils-$pkg"
	case " $released " in
	*" $arch "*)
		pkgs="$pkgs musl-dev:$arch"
		dpkg --print-foreign-architectures | grep -qx "$arch" || arches="$arches $arch"
		;;
	esac
done
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
for a in $arches; do dpkg --add-architecture "$a"; done
echo "cross: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# A foreign architecture's index can fail on a mirror in mid-sync (seen for the security
# archive's armhf and ppc64el lists): go on with the lists that came; install says what is
# missing if anything is.
apt-get update -qq || echo "cross: apt-get update failed for some lists; trying with the others"
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
