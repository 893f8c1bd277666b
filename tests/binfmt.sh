#!/bin/sh
# Make the kernel run CPU's ELF binaries through qemu-user-static (issue 11):
#
#   sh tests/binfmt.sh CPU        (CPU: aarch64 arm riscv64 ppc64le s390x; as root)
#
# Registers qemu-user-static's binfmt_misc handler for CPU when it is missing (mounting
# binfmt_misc first if needed) and leaves it registered (another run may be using it). The
# handler must be enabled and have the F flag (the kernel opens the interpreter when it is
# registered), so that it works in containers and other mount namespaces too.
# Exit 0: usable; 77: not available here (one line says why); 1: registering failed.
set -eu
cpu=${1:?usage: binfmt.sh CPU}
d=/proc/sys/fs/binfmt_misc
[ -d "$d" ] || { echo "binfmt: no binfmt_misc in this kernel"; exit 77; }
if [ ! -e "$d/register" ] && ! mount -t binfmt_misc binfmt_misc "$d" 2>/dev/null; then
	echo "binfmt: cannot mount binfmt_misc on $d"
	exit 77
fi
if [ ! -e "$d/qemu-$cpu" ]; then
	conf=/usr/lib/binfmt.d/qemu-$cpu.conf
	[ -r "$conf" ] || { echo "binfmt: no $conf (qemu-user-static)"; exit 77; }
	grep -v '^#' "$conf" >"$d/register" || { echo "binfmt: registering $conf failed"; exit 1; }
	echo "binfmt: registered qemu-$cpu"
fi
grep -qx enabled "$d/qemu-$cpu" || { echo "binfmt: qemu-$cpu is disabled"; exit 77; }
grep -q '^flags:.*F' "$d/qemu-$cpu" || { echo "binfmt: qemu-$cpu has no F flag"; exit 77; }
