#!/usr/bin/env bash
# Builds a Go command from a module the Go module proxy serves, inside a writable copy of it: for
# modules `go install` refuses (their go.mod has replace or exclude directives, as dapr's and
# Compose's have). Usage:
#   go-module-build.sh <module> <version> <package> <out> <log> [go build flags...]
# Writes <out> (through <out>.partial, so a failed build leaves none); the build's output in <log>.
set -euo pipefail
module=$1 version=$2 package=$3 out=$4 logfile=$5
shift 5
log() { printf '[go] %s\n' "$*" >&2; }
command -v go >/dev/null || { log "error: Go is needed to build $module"; exit 1; }
json=$(go mod download -json "$module@$version" 2>&1) || true
dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
[ -d "$dir" ] || { log "error: could not download $module@$version: $json"; exit 1; }
src=$(mktemp -d)
trap 'chmod -R u+w "$src" 2>/dev/null; rm -rf "$src"' EXIT
cp -r "$dir/." "$src" && chmod -R u+w "$src"
mkdir -p "$(dirname "$out")" "$(dirname "$logfile")"
(cd "$src" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath "$@" -o "$out.partial" "$package") \
  >"$logfile" 2>&1 || { log "error: building $module@$version failed, see $logfile"; exit 1; }
mv "$out.partial" "$out"
