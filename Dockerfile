# Build the static init from source, then ship it alone in a scratch image:
#   COPY --from=<this image> /init /init
#   ENTRYPOINT ["/init", "--"]
FROM debian:12 AS build
# dpkg-dev, xz-utils and the archive keyring: make fetches Debian's libcap2 source package and
# builds libcap.a for musl (.ci/libcap.sh; the build needs the Debian archive, and nothing else).
RUN apt-get update && apt-get install -y --no-install-recommends make gcc musl-tools libc6-dev \
	dpkg-dev xz-utils debian-archive-keyring \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY .ci/libcap.sh ./.ci/
COPY src ./src
# No .git here: the commit for --version comes in as a build argument
# (docker build --build-arg GIT_SHA=$(git rev-parse --short=7 HEAD) .).
ARG GIT_SHA=
RUN make init GIT_SHA="$GIT_SHA"

# The pod's pause process (examples/kubernetes/pause.md): docker build --target pause .
FROM scratch AS pause
COPY --from=build /src/init /init
ENTRYPOINT ["/init", "-P"]

# The default: the init alone, for COPY --from and as an ENTRYPOINT.
FROM scratch
COPY --from=build /src/init /init
ENTRYPOINT ["/init", "--"]
