# init: a tiny static PID 1 built on pidfds. See README.md.
.DELETE_ON_ERROR:
.SUFFIXES:

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DESTDIR ?=

MUSL_CC ?= musl-gcc
HOST_CC ?= gcc
STRIP ?= strip

WARN := -Wall -Wextra -Wformat=2 -Werror=format-security -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wswitch-enum -Wundef -Werror=implicit-function-declaration \
	-Wno-missing-field-initializers
ifneq ($(CI),)
WARN += -Werror
endif
BASE_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) -MMD -MP

VERSION := 0.1.0
# The commit in --version; a build without .git (a Docker build stage) passes GIT_SHA=...
GIT_SHA ?= $(shell git rev-parse --short=7 HEAD 2>/dev/null)
# Reproducible builds (issue 11): the commit's time for anything that asks the compiler for
# one, and no build directory in the objects.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif
REPRO := -ffile-prefix-map=$(CURDIR)/=
# help.c includes build/version.h, rewritten only when its text changes (see below), so a
# commit rebuilds help.o and nothing else.
VERSION_DEFS := -Ibuild

SRCS := $(wildcard src/*.c)
PURE := src/parse.c src/sigtab.c src/status.c src/config.c src/opt.c src/persona.c src/help.c \
	src/userdb.c src/summary.c

# Releases (issue 11): one static binary per architecture, named after Docker's TARGETARCH
# and TARGETVARIANT, built by Debian's cross compiler gcc-TRIPLET against musl for that
# architecture: Debian's musl-dev:ARCH (.ci/setup release), or for riscv64, which Debian 12
# does not carry, musl built here from Debian's musl source package (.ci/musl.sh).
RELEASE_ARCHES := amd64 arm64 armv7 riscv64 ppc64le s390x
TRIPLET_amd64 := x86_64-linux-gnu
TRIPLET_arm64 := aarch64-linux-gnu
TRIPLET_armv7 := arm-linux-gnueabihf
TRIPLET_riscv64 := riscv64-linux-gnu
TRIPLET_ppc64le := powerpc64le-linux-gnu
TRIPLET_s390x := s390x-linux-gnu
DEBARCH_amd64 := amd64
DEBARCH_arm64 := arm64
DEBARCH_armv7 := armhf
DEBARCH_riscv64 := riscv64
DEBARCH_ppc64le := ppc64el
DEBARCH_s390x := s390x
MUSL_amd64 := /usr/lib/x86_64-linux-musl
MUSL_arm64 := /usr/lib/aarch64-linux-musl
MUSL_armv7 := /usr/lib/arm-linux-musleabihf
MUSL_riscv64 := $(CURDIR)/build/toolchain/musl-riscv64/lib
MUSL_ppc64le := /usr/lib/powerpc64le-linux-musl
MUSL_s390x := /usr/lib/s390x-linux-musl

# ARCH= one of RELEASE_ARCHES builds in build/release/ARCH with that cross compiler; without
# it, build/musl with musl-gcc (./init).
ifeq ($(ARCH),)
OUT := build/musl
LIBCAP := build/libcap
MUSL_SPECS :=
TARGET_PREFIX :=
else
ifeq ($(TRIPLET_$(ARCH)),)
$(error ARCH=$(ARCH) is not one of $(RELEASE_ARCHES))
endif
OUT := build/release/$(ARCH)
LIBCAP := $(OUT)/libcap
MUSL_SPECS := $(MUSL_$(ARCH))/musl-gcc.specs
MUSL_CC := $(TRIPLET_$(ARCH))-gcc -specs $(MUSL_SPECS)
TARGET_PREFIX := $(TRIPLET_$(ARCH))-
STRIP := $(TARGET_PREFIX)strip
endif

MUSL_OBJS := $(SRCS:src/%.c=$(OUT)/%.o)
# libcap for musl, built from Debian's libcap2 source package by .ci/libcap.sh (issue 8); the
# glibc flavour (ASan) links Debian's libcap-dev.
LIBCAP_A := $(LIBCAP)/libcap.a
ASAN_OBJS := $(SRCS:src/%.c=build/glibc/%.o)
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

UNIT_SRCS := $(wildcard tests/unit/*.c)
INTEG_SRCS := $(wildcard tests/integration/*.c)
HELPERS := build/helpers/kid build/helpers/deny build/helpers/launch build/helpers/bench

CRITERION_LIBS := -lcriterion

.PHONY: FORCE all demo bench check unit integration asan check-asan install clean format format-check lint helpers fuzz engines peers release toolchains check-arch

all: init

init: build/musl/init
	strip -o $@ $<

# Compare and replace: the file changes, and help.o is rebuilt, only when the version does.
build/version.h: FORCE | build
	@printf '#define INIT_VERSION "%s"\n#define INIT_GIT "%s"\n' '$(VERSION)' '$(GIT_SHA)' >$@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi

$(OUT)/help.o build/glibc/help.o: build/version.h

FORCE:

# The linker's page size stays the ABI's (64 KiB on arm64 and ppc64le, whose kernels may use
# 64 KiB pages). No RELRO: nothing applies it in a static musl binary (only musl's dynamic
# linker mprotects it), and its end aligned to that page size padded the arm64 and ppc64le
# files by 28 KiB.
$(OUT)/init: $(MUSL_OBJS) $(LIBCAP_A)
	$(MUSL_CC) -static -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--build-id=none \
		$(LDFLAGS) -o $@ $^

$(OUT)/%.o: src/%.c | $(OUT) $(LIBCAP_A)
	$(MUSL_CC) $(BASE_CFLAGS) -Os -ffunction-sections -fdata-sections $(REPRO) $(VERSION_DEFS) -isystem $(LIBCAP)/include $(CFLAGS) -c -o $@ $<

# Fetched and built once; `make clean` removes it with build/.
$(LIBCAP_A): .ci/libcap.sh $(MUSL_SPECS)
	LIBCAP_CFLAGS='$(REPRO)' LIBCAP_CACHE=build/dl LIBCAP_AR=$(TARGET_PREFIX)ar \
		LIBCAP_RANLIB=$(TARGET_PREFIX)ranlib sh .ci/libcap.sh $(LIBCAP) '$(MUSL_CC)'

$(MUSL_riscv64)/musl-gcc.specs: .ci/musl.sh
	MUSL_CACHE=build/dl sh .ci/musl.sh build/toolchain/musl-riscv64 $(TRIPLET_riscv64)

# The compilers and musl for every architecture (.ci/setup release), or for ARCH= only.
toolchains:
	sh .ci/cross.sh $(foreach a,$(or $(ARCH),$(RELEASE_ARCHES)),$(TRIPLET_$(a)):$(DEBARCH_$(a)))

# make release: dist/init-ARCH for every architecture and dist/SHA256SUMS; each binary is
# built by a make of its own (ARCH=...), in build/release/ARCH.
release:
	rm -rf dist && mkdir -p dist
	@for a in $(RELEASE_ARCHES); do $(MAKE) --no-print-directory ARCH=$$a dist/init-$$a || exit 1; done
	cd dist && sha256sum $(RELEASE_ARCHES:%=init-%) >SHA256SUMS
	@for a in $(RELEASE_ARCHES); do printf 'release: init-%-8s %6d bytes\n' $$a $$(stat -c %s dist/init-$$a); done

# The release binaries under QEMU's user mode, every architecture but the build machine's
# (needs root and .ci/setup release; about 1.5 minutes each). .ci/run runs arm64 alone.
check-arch: release helpers build/tests/integration
	bash tests/arch.sh $(filter-out amd64,$(RELEASE_ARCHES))

ifneq ($(ARCH),)
dist/init-$(ARCH): $(OUT)/init | dist
	$(STRIP) -o $@ $<
endif

# The glibc flavour with ASan and UBSan (ASan cannot link statically).
asan: build/glibc/init-asan

build/glibc/init-asan: $(ASAN_OBJS)
	$(HOST_CC) $(SAN) $(LDFLAGS) -o $@ $^ -lcap

build/glibc/%.o: src/%.c | build/glibc
	$(HOST_CC) $(BASE_CFLAGS) -O1 -g $(SAN) $(VERSION_DEFS) $(CFLAGS) -c -o $@ $<

# Unit tests: the pure modules, compiled with glibc and the sanitizers.
build/tests/unit: $(UNIT_SRCS) $(wildcard tests/unit/*.h) $(PURE) $(wildcard src/*.h) build/version.h | build/tests
	$(HOST_CC) $(BASE_CFLAGS) -O1 -g $(SAN) -Isrc $(VERSION_DEFS) $(CFLAGS) -o $@ \
		$(UNIT_SRCS) $(PURE) $(CRITERION_LIBS)

build/tests/integration: $(INTEG_SRCS) $(wildcard tests/integration/*.h) | build/tests
	$(HOST_CC) $(BASE_CFLAGS) -O1 -g -Itests/integration $(CFLAGS) -o $@ \
		$(INTEG_SRCS) $(CRITERION_LIBS)

# Test children: small static programs, as deterministic as the init itself.
helpers: $(HELPERS)

build/helpers/%: tests/helpers/%.c | build/helpers
	$(MUSL_CC) -static -O2 $(BASE_CFLAGS) $(CFLAGS) -o $@ $<

$(sort build build/musl build/glibc build/tests build/helpers dist $(OUT)):
	mkdir -p $@

# Build ./init and run it on a small entrypoint (the README's first command).
demo: init
	sh tests/demo.sh ./init

# Figures side by side with tini, dumb-init and catatonit (issue 12; not run by CI: nothing is
# timed). One table on stdout; BENCH_REPS=N repetitions (default 5), BENCH_JSON=path for every
# repetition's figures, INIT_BIN=path to measure another build; the rest in tests/bench.sh.
bench: init helpers
	INIT_BIN=$(or $(INIT_BIN),$(CURDIR)/init) INIT_HELPERS=$(CURDIR)/build/helpers \
		sh tests/bench.sh

unit: build/tests/unit
	build/tests/unit

# The integration suite on the static binary, without and under every seccomp deny-set.
integration: init helpers build/tests/integration
	INIT_BIN=$(CURDIR)/init INIT_HELPERS=$(CURDIR)/build/helpers \
		sh tests/matrix.sh build/tests/integration

# The same suite (no deny-sets) on the glibc build with ASan and UBSan.
check-asan: build/glibc/init-asan helpers build/tests/integration
	INIT_BIN=$(CURDIR)/build/glibc/init-asan INIT_HELPERS=$(CURDIR)/build/helpers \
		build/tests/integration

check: unit integration check-asan engines peers
	@echo "check: all test suites passed"

# dumb-init's and tini's own test suites, from Debian's source packages, against ./init under
# their names (issue 10): every failure must be on tests/peers/*.expected, with its reason.
peers: init
	INIT_BIN=$(CURDIR)/init bash tests/peers/run.sh

# Docker and Podman as users run them (style rule 31; needs root and what .ci/setup installs).
# INIT_BIN= another init, such as an old build, to see which scenarios fail with it.
engines: init helpers
	INIT_BIN=$(or $(INIT_BIN),$(CURDIR)/init) INIT_HELPERS=$(CURDIR)/build/helpers \
		bash tests/engines/run.sh

# libFuzzer on the pure parsers (style rule 29). Each target runs FUZZ_SECONDS on a copy of its
# seed corpus, so new inputs stay in build/fuzz/; a crash, leak, sanitizer report or broken
# property fails the make and leaves the input in build/fuzz/<target>-crash-<sha1>.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

build/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(PURE) $(wildcard src/*.h) build/version.h | build/fuzz
	$(FUZZ_CC) $(BASE_CFLAGS) -O1 -g $(FUZZ_SAN) -Isrc $(VERSION_DEFS) $(CFLAGS) -o $@ $< $(PURE)

build/fuzz:
	mkdir -p $@

fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
		t=$${f#build/fuzz/}; echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		rm -rf $$f.corpus && cp -R tests/fuzz/corpus/$$t $$f.corpus && \
		$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
			-artifact_prefix=$$f- $$f.corpus || exit 1; \
	done
	@echo "fuzz: no findings"

install: init
	install -D -m 0755 init $(DESTDIR)$(BINDIR)/init

format:
	clang-format -i src/*.[ch] tests/*/*.[ch]

format-check:
	clang-format --dry-run -Werror src/*.[ch] tests/*/*.[ch]

lint: build/version.h
	clang-tidy --quiet src/*.c -- -std=gnu11 -D_GNU_SOURCE -Isrc -Ibuild
	@! grep -n 'syscall(' src/*.c src/*.h | grep -v '^src/sys.h:' || \
		{ echo 'raw syscall( outside src/sys.h'; exit 1; }
	@! grep -n '#include <linux/' src/*.c src/*.h || \
		{ echo '<linux/*.h> included'; exit 1; }

clean:
	rm -rf build init dist

-include $(MUSL_OBJS:.o=.d) $(ASAN_OBJS:.o=.d)
