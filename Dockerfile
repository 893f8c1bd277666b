# Build the static init from source, then ship it alone in a scratch image:
#   COPY --from=<this image> /init /init
#   ENTRYPOINT ["/init", "--"]
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends make gcc musl-tools libc6-dev \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY src ./src
RUN make init

FROM scratch
COPY --from=build /src/init /init
ENTRYPOINT ["/init", "--"]
