# `missions serve` in a container: built from this repository, run as an unprivileged user.
# Build: docker build -t missions .    Run: see compose.yaml and docs/deploy.md.
FROM rust:1-bookworm AS build
WORKDIR /src
# rust-toolchain.toml selects the toolchain; rustup installs it on first use.
COPY . .
RUN cargo build --release --locked -p missions-host --bin missions

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/missions --create-home missions
COPY --from=build /src/target/release/missions /usr/local/bin/missions
USER missions
WORKDIR /var/lib/missions
EXPOSE 8080
# The store comes from --db (or MISSIONS_DB in compose.yaml); the admin key from MISSIONS_ADMIN_KEY.
ENTRYPOINT ["missions", "serve", "--addr", "0.0.0.0:8080", "--cache-dir", "/var/lib/missions/cache"]
