# Build the static init from source, then ship it alone in a scratch image:
#   COPY --from=<this image> /init /init
#   ENTRYPOINT ["/init", "--"]
# For another architecture the build stage cross-compiles on the build machine's own:
#   docker buildx build --platform linux/amd64,linux/arm64 .
#       BuildKit sets BUILDPLATFORM, TARGETARCH and TARGETVARIANT, and names each image's
#       architecture in its config.
#   docker build --build-arg TARGETARCH=arm64 .
#       The classic builder sets none of them: the image holds the arm64 init, but its config
#       names the build machine's architecture. (Its --platform fails: the build stage is not
#       of the target's platform.)
#   podman build --build-arg BUILDPLATFORM=linux/amd64 --platform linux/arm64 .
#       Podman 4 sets TARGETARCH, but no BUILDPLATFORM where FROM reads it, and refuses `linux`:
#       it needs BUILDPLATFORM, the build machine's own, for every build.
# Tested: the classic builder of Docker 20.10 (tests/engines), and by hand Docker 20.10's own
# BuildKit (DOCKER_BUILDKIT=1 with its 20.10 client: --platform linux/arm64, linux/arm/v7) and
# Podman 4.3. Not tested: buildx, and so no multi-platform build.
#
# The classic builder sets no BUILDPLATFORM, and refuses an empty --platform: `linux` is the
# daemon's own OS and architecture there.
FROM --platform=${BUILDPLATFORM:-linux} debian:12 AS build
# dpkg-dev, xz-utils and the archive keyring: make fetches Debian's libcap2 source package and
# builds libcap.a for musl (.ci/libcap.sh; the build needs the Debian archive, and nothing else).
RUN apt-get update && apt-get install -y --no-install-recommends make gcc musl-tools libc6-dev \
	dpkg-dev xz-utils debian-archive-keyring \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The compilers first: that layer stays cached while only src/ changes.
COPY Makefile ./
COPY .ci/cross.sh .ci/debsrc.sh .ci/libcap.sh .ci/musl.sh ./.ci/
# The release's name for the target: amd64, arm64, armv7, riscv64, ppc64le, s390x (BuildKit's
# linux/arm64/v8 and linux/amd64/v2 are the same binaries; linux/arm/v7 is armv7). Without
# TARGETARCH, the build machine's own (dpkg's name, which differs for armhf and ppc64el).
ARG TARGETARCH
ARG TARGETVARIANT
RUN arch="${TARGETARCH:-$(dpkg --print-architecture)}${TARGETARCH:+$TARGETVARIANT}"; \
	case $arch in arm64v8) arch=arm64 ;; amd64v[234]) arch=amd64 ;; arm | armhf) arch=armv7 ;; \
	ppc64el) arch=ppc64le ;; esac; \
	echo "$arch" >/arch && make toolchains ARCH="$arch" && rm -rf /var/lib/apt/lists/*
COPY src ./src
# No .git here: the commit for --version, and its time for a reproducible build, come in as
# build arguments (--build-arg GIT_SHA=$(git rev-parse --short=7 HEAD)
# --build-arg SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)).
ARG GIT_SHA=
ARG SOURCE_DATE_EPOCH=
RUN arch=$(cat /arch) && make dist/init-"$arch" ARCH="$arch" GIT_SHA="$GIT_SHA" \
	SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" && cp dist/init-"$arch" /init

# The pod's pause process (examples/kubernetes/pause.md): docker build --target pause .
FROM scratch AS pause
COPY --from=build /init /init
ENTRYPOINT ["/init", "-P"]

# The default: the init alone, for COPY --from and as an ENTRYPOINT.
FROM scratch
COPY --from=build /init /init
ENTRYPOINT ["/init", "--"]
