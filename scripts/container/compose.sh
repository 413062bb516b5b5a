#!/usr/bin/env bash
# Prints the command that runs Docker Compose v2: `docker compose` when the docker client has the
# plugin, else the project's own build of Compose (github.com/docker/compose/v2 from the Go module
# proxy, once per pinned version, ~3 minutes on 2 cores), cached in $DAPRPS_CACHE_DIR/tools.
# `go install` refuses the module (its go.mod has exclude directives), so it is built inside a
# copy of it (scripts/tools/go-module-build.sh), as daprd is.
. "$(dirname "$0")/common.sh"
version=v2.40.3
# The client's plugin when it is Compose v2 or later (v5 builds only through buildx: see the README).
major=$(docker compose version --short 2>/dev/null | sed 's/^v//' | cut -d. -f1 || true)
if [[ $major =~ ^[0-9]+$ ]] && [ "$major" -ge 2 ]; then echo "docker compose"; exit 0; fi
out="$CACHE_DIR/tools/compose-$version/docker-compose"
if [ ! -x "$out" ]; then
  log "building Docker Compose $version from the Go module proxy (once; log $CACHE_DIR/tools/compose-build.log)"
  bash "$root/scripts/tools/go-module-build.sh" github.com/docker/compose/v2 "$version" ./cmd "$out" \
    "$CACHE_DIR/tools/compose-build.log" -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$version"
fi
echo "$out"
