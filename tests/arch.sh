#!/bin/bash
# The release binaries on their own architectures, under QEMU's user mode (issue 11):
#
#   tests/arch.sh ARCH...       (ARCH: arm64 armv7 riscv64 ppc64le s390x; amd64 runs natively)
#
# As root, registers qemu-user-static's binfmt_misc handlers when they are missing
# (tests/binfmt.sh), so that the kernel runs dist/init-ARCH through qemu-ARCH-static.
# Then for each ARCH: the binary's ELF header names the architecture, its segments load on
# kernels with the architecture's largest pages (64 KiB: arm64, ppc64le), --version answers,
# --features finds pidfd_open and pidfd_send_signal, and
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

# page_size ARCH: the largest page its kernels use; every LOAD segment must be aligned to it.
page_size() {
	case $1 in
	arm64 | ppc64le) echo 65536 ;;
	*) echo 4096 ;;
	esac
}

# check_pages BIN PAGE: each PT_LOAD is aligned to PAGE, in the file as in memory.
check_pages() {
	local n=0 type off vaddr rest align
	while read -r type off vaddr rest; do
		[ "$type" = LOAD ] || continue
		n=$((n + 1))
		align=${rest##* }
		if [ $((align)) -lt "$2" ] || [ $(((vaddr - off) % $2)) -ne 0 ]; then
			echo "LOAD at offset $off vaddr $vaddr align $align: not for $2-byte pages"
			return 1
		fi
	done < <(readelf -lW "$1")
	[ "$n" -gt 0 ] || { echo "no LOAD segment in $1"; return 1; }
}

status=0
for a in "$@"; do
	bin=$root/dist/init-$a
	[ -x "$bin" ] || { echo "arch: no $bin (make release)" >&2; exit 1; }
	word=$(elf_word "$a") || { echo "arch: unknown architecture $a" >&2; exit 2; }
	file -b "$bin" | grep -q "$word" || { echo "arch: $bin is not $word: $(file -b "$bin")"; exit 1; }
	check_pages "$bin" "$(page_size "$a")" || { echo "arch: $bin cannot load with $(page_size "$a")-byte pages"; exit 1; }
	emulated=0
	if [ "$a" != amd64 ]; then
		sh "$root/tests/binfmt.sh" "$(qemu_cpu "$a")"
		emulated=1
	fi
	echo "== arch $a: $("$bin" --version)"
	# The probes' answers come back from their child, also where QEMU makes it with a fork
	# (it does for CLONE_VM | CLONE_VFORK); under QEMU they always run, as its PR_GET_SECCOMP
	# answers EINVAL, so lost answers would cost every run its pidfds.
	features=$("$bin" --features)
	for want in 'pidfd_open: yes' 'pidfd_send_signal: yes'; do
		grep -qx "$want" <<<"$features" ||
			{ echo "== arch $a: --features does not say '$want':"; echo "$features"; status=1; }
	done
	# Under QEMU 7.2 the ladder's first rungs answer ENOSYS (clone3) and EINVAL (clone with
	# CLONE_PIDFD): the init steps down to fork + pidfd_open, and signals go by pidfd.
	spawn=clone3
	[ "$emulated" = 0 ] || spawn=pidfd_open
	INIT_BIN=$bin INIT_HELPERS=$root/build/helpers INIT_EMULATED=$emulated \
		INIT_TEST_SPAWN=$spawn INIT_TEST_RESULT=ok build/tests/integration ||
		{ echo "== arch $a: the integration suite failed"; status=1; }
done
exit $status
