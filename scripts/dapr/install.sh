#!/usr/bin/env bash
# Builds daprd (self-hosted sidecar) from the Go module proxy, once per pinned version, and
# prints its path. `go install` refuses the dapr module (its go.mod has replace directives), so
# it is built inside a writable copy (scripts/tools/go-module-build.sh), with the `stablecomponents` tag
# (without a tag no component is registered). Cached in $DAPRPS_CACHE_DIR; never in the repo.
# The pinned version is in scripts/dapr/version (v1.16.0: later 1.16 patches need
# components-contrib versions the module proxy does not serve).
set -euo pipefail
DAPR_VERSION="${DAPR_VERSION:-$(cat "$(dirname "$0")/version")}"
CACHE_DIR="${DAPRPS_CACHE_DIR:-${HOME:-/root}/.cache/daprps}"
out="$CACHE_DIR/dapr-$DAPR_VERSION/daprd"
log() { printf '[dapr] %s\n' "$*" >&2; }

if [ -x "$out" ]; then echo "$out"; exit 0; fi
started=$(date +%s)
log "building daprd $DAPR_VERSION (stablecomponents) from the Go module proxy — once per version, 10–30 minutes on 2 cores"
bash "$(dirname "$0")/../tools/go-module-build.sh" github.com/dapr/dapr "$DAPR_VERSION" ./cmd/daprd "$out" "$CACHE_DIR/dapr-build.log" \
  -tags stablecomponents -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${DAPR_VERSION#v}"
log "built in $(( $(date +%s) - started ))s: $(du -h "$out" | cut -f1) at $out"
echo "$out"
