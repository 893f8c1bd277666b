#!/bin/bash
# The release binaries on their own architectures, under QEMU's user mode (issue 11):
#
#   tests/arch.sh ARCH...       (ARCH: arm64 armv7 riscv64 ppc64le s390x; amd64 runs natively)
#
# As root, registers qemu-user-static's binfmt_misc handlers when they are missing (mounting
# binfmt_misc if needed), so that the kernel runs dist/init-ARCH through qemu-ARCH-static.
# Then for each ARCH: the binary's ELF header names the architecture, --version answers, and
# the integration suite runs with INIT_BIN=dist/init-ARCH and INIT_EMULATED=1: its helpers
# (launch, kid) stay native, only the init is emulated, and the tests that QEMU's user mode
# cannot run skip, each naming why (tests/integration/harness.h, h_need_native).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ $# -gt 0 ] || { echo "usage: tests/arch.sh ARCH..." >&2; exit 2; }

qemu_cpu() {
	case $1 in
	arm64) echo aarch64 ;;
	armv7) echo arm ;;
	riscv64 | ppc64le | s390x) echo "$1" ;;
	*) return 1 ;;
	esac
}

# ELF e_machine of each architecture, as file(1) words it.
elf_word() {
	case $1 in
	amd64) echo x86-64 ;;
	arm64) echo aarch64 ;;
	armv7) echo 'ARM, EABI5' ;;
	riscv64) echo RISC-V ;;
	ppc64le) echo '64-bit PowerPC' ;;
	s390x) echo 'IBM S/390' ;;
	esac
}

register() {
	local cpu=$1 conf
	[ -d /proc/sys/fs/binfmt_misc ] || { echo "arch: no binfmt_misc in this kernel" >&2; return 1; }
	[ -e /proc/sys/fs/binfmt_misc/register ] ||
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
	[ -e "/proc/sys/fs/binfmt_misc/qemu-$cpu" ] && return 0
	conf=/usr/lib/binfmt.d/qemu-$cpu.conf
	[ -r "$conf" ] || { echo "arch: no $conf (sh .ci/setup release)" >&2; return 1; }
	grep -v '^#' "$conf" >/proc/sys/fs/binfmt_misc/register
	echo "arch: registered qemu-$cpu with binfmt_misc"
}

status=0
for a in "$@"; do
	bin=$root/dist/init-$a
	[ -x "$bin" ] || { echo "arch: no $bin (make release)" >&2; exit 1; }
	word=$(elf_word "$a") || { echo "arch: unknown architecture $a" >&2; exit 2; }
	file -b "$bin" | grep -q "$word" || { echo "arch: $bin is not $word: $(file -b "$bin")"; exit 1; }
	emulated=0
	if [ "$a" != amd64 ]; then
		register "$(qemu_cpu "$a")"
		emulated=1
	fi
	echo "== arch $a: $("$bin" --version)"
	# Under QEMU 7.2 the ladder's first rungs answer ENOSYS (clone3) and EINVAL (clone with
	# CLONE_PIDFD): the init steps down to fork + pidfd_open, and signals go by pidfd.
	spawn=clone3
	[ "$emulated" = 0 ] || spawn=pidfd_open
	INIT_BIN=$bin INIT_HELPERS=$root/build/helpers INIT_EMULATED=$emulated \
		INIT_TEST_SPAWN=$spawn INIT_TEST_RESULT=ok build/tests/integration ||
		{ echo "== arch $a: the integration suite failed"; status=1; }
done
exit $status
