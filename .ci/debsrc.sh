#!/bin/sh
# Download a Debian 12 source package with apt, without touching the system's apt
# configuration or state: a private sources list and lists under CACHE. apt checks the
# index's signature against the Debian archive keyring and each file's checksum.
#
#   sh .ci/debsrc.sh PACKAGE CACHE [--tar-only]   ->  prints the path of the .dsc (or, with
#                                                      --tar-only, of the .orig.tar.*)
#
# The newest version that bookworm and bookworm-updates list (DEBSRC_UPSTREAM=V: the newest
# of upstream version V) is fetched once into CACHE/dl-PACKAGE and reused after.
# DEBSRC_MIRROR: the mirror (default deb.debian.org).
set -eu
pkg=${1:?usage: debsrc.sh PACKAGE CACHE [--tar-only]}
cache=${2:?usage: debsrc.sh PACKAGE CACHE [--tar-only]}
tar_only=${3:-}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
dl=$cache/dl-$pkg
pattern=${pkg}_*.dsc
[ -z "$tar_only" ] || pattern=${pkg}_*.orig.tar.*
found() { ls "$dl"/$pattern 2>/dev/null | head -n 1; }
if [ -z "$(found)" ]; then
	mirror=${DEBSRC_MIRROR:-http://deb.debian.org/debian}
	mkdir -p "$cache/lists/partial" "$cache/cache/archives/partial" "$cache/parts" "$cache/prefs"
	# The security archive serves no sources on every mirror: main and point-release updates.
	cat >"$cache/sources.list" <<-LIST
		deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main
		deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm-updates main
	LIST
	opts="-o Dir::Etc::SourceList=$cache/sources.list -o Dir::Etc::SourceParts=$cache/parts \
-o Dir::Etc::PreferencesParts=$cache/prefs -o Dir::State::Lists=$cache/lists \
-o Dir::Cache=$cache/cache -o APT::Sandbox::User=root -q"
	if [ ! -f "$cache/updated" ]; then
		# shellcheck disable=SC2086
		apt-get $opts update >"$cache/update.log" 2>&1 || { cat "$cache/update.log" >&2; exit 1; }
		touch "$cache/updated"
	fi
	# shellcheck disable=SC2086
	version=$(apt-cache $opts showsrc "$pkg" | sed -n 's/^Version: //p' |
		grep "^${DEBSRC_UPSTREAM:+$DEBSRC_UPSTREAM-}" | sort -V | tail -n 1) || true
	if [ -z "$version" ]; then
		rm -f "$cache/updated"
		echo "debsrc: no $pkg ${DEBSRC_UPSTREAM:+$DEBSRC_UPSTREAM-* }source package listed" >&2
		exit 1
	fi
	rm -rf "$dl.new" && mkdir -p "$dl.new"
	# shellcheck disable=SC2086
	(cd "$dl.new" && apt-get $opts source --download-only $tar_only "$pkg=$version") \
		>"$cache/source-$pkg.log" 2>&1 || { cat "$cache/source-$pkg.log" >&2; exit 1; }
	rm -rf "$dl" && mv "$dl.new" "$dl"
fi
f=$(found)
[ -n "$f" ] || { echo "debsrc: $pkg: nothing matching $pattern downloaded" >&2; exit 1; }
echo "$f"
