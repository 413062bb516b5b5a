#!/usr/bin/env bash
# Prints the command that runs Docker Compose v2: `docker compose` when the docker client has the
# plugin, else the project's own build of Compose (github.com/docker/compose/v2 from the Go module
# proxy, once per pinned version, ~3 minutes on 2 cores), cached in $DAPRPS_CACHE_DIR/tools.
# `go install` refuses the module (its go.mod has exclude directives), so it is built inside a
# copy of the downloaded module, as scripts/dapr/install.sh builds daprd.
. "$(dirname "$0")/common.sh"
version=v2.40.3
# The client's plugin when it is Compose v2 or later (v5 builds only through buildx: see the README).
major=$(docker compose version --short 2>/dev/null | sed 's/^v//' | cut -d. -f1 || true)
if [[ $major =~ ^[0-9]+$ ]] && [ "$major" -ge 2 ]; then echo "docker compose"; exit 0; fi
out="$CACHE_DIR/tools/compose-$version/docker-compose"
if [ ! -x "$out" ]; then
  command -v go >/dev/null || die "no docker compose plugin, and Go is needed to build Compose"
  log "building Docker Compose $version from the Go module proxy (once; log $CACHE_DIR/tools/compose-build.log)"
  mkdir -p "$(dirname "$out")"
  json=$(go mod download -json "github.com/docker/compose/v2@$version" 2>&1) || true
  dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
  [ -d "$dir" ] || die "could not download github.com/docker/compose/v2@$version: $json"
  src=$(mktemp -d); trap 'rm -rf "$src"' EXIT
  cp -r "$dir/." "$src/" && chmod -R u+w "$src"
  (cd "$src" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath \
    -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$version" -o "$out.partial" ./cmd) \
    >"$CACHE_DIR/tools/compose-build.log" 2>&1 || die "building Compose failed, see $CACHE_DIR/tools/compose-build.log"
  mv "$out.partial" "$out"
fi
echo "$out"
