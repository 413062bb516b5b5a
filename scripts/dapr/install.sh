#!/usr/bin/env bash
# Builds daprd (self-hosted sidecar) from the Go module proxy, once per pinned version, and
# prints its path. `go install` refuses the dapr module (its go.mod has replace directives), so
# the module is downloaded and built inside a writable copy, with the `stablecomponents` tag
# (without a tag no component is registered). Cached in $DAPRPS_CACHE_DIR; never in the repo.
# The pinned version is in scripts/dapr/version (v1.16.0: later 1.16 patches need
# components-contrib versions the module proxy does not serve).
set -euo pipefail
DAPR_VERSION="${DAPR_VERSION:-$(cat "$(dirname "$0")/version")}"
CACHE_DIR="${DAPRPS_CACHE_DIR:-${HOME:-/root}/.cache/daprps}"
out="$CACHE_DIR/dapr-$DAPR_VERSION/daprd"
log() { printf '[dapr] %s\n' "$*" >&2; }

if [ -x "$out" ]; then echo "$out"; exit 0; fi
command -v go >/dev/null || { log "error: Go is needed to build daprd"; exit 1; }
mkdir -p "$(dirname "$out")"
started=$(date +%s)
log "downloading github.com/dapr/dapr@$DAPR_VERSION"
json=$(go mod download -json "github.com/dapr/dapr@$DAPR_VERSION" 2>&1) || true
dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
[ -d "$dir" ] || { log "error: could not download github.com/dapr/dapr@$DAPR_VERSION: $json"; exit 1; }
src=$(mktemp -d)
trap 'chmod -R u+w "$src" 2>/dev/null; rm -rf "$src"' EXIT
cp -r "$dir/." "$src" && chmod -R u+w "$src"
log "building daprd (stablecomponents) — once per version, 10–30 minutes on 2 cores"
(cd "$src" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod \
  go build -tags stablecomponents -trimpath -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${DAPR_VERSION#v}" -o "$out.partial" ./cmd/daprd) >"$CACHE_DIR/dapr-build.log" 2>&1 \
  || { log "error: build failed, see $CACHE_DIR/dapr-build.log"; exit 1; }
mv "$out.partial" "$out"
log "built in $(( $(date +%s) - started ))s: $(du -h "$out" | cut -f1) at $out"
echo "$out"
