#!/usr/bin/env bash
# Builds the Go tools the manifest checks use, once per pinned version, with `go install`
# through the Go module proxy: kustomize (renders knative/overlays/*), kubeconform
# (validates the rendered objects against JSON schemas), go-task (runs Taskfile.yml) and
# knative-check (Knative Serving's own defaulting and validation). Cached in $DAPRPS_CACHE_DIR/tools,
# never in the repo. Prints the folder holding the binaries.
# kustomize v5.7.1: v5.8 needs Go 1.27, newer than the Go here.
set -euo pipefail
CACHE_DIR="${DAPRPS_CACHE_DIR:-${HOME:-/root}/.cache/daprps}"
tools=(
  "kustomize sigs.k8s.io/kustomize/kustomize/v5@v5.7.1"
  "kubeconform github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0"
  "task github.com/go-task/task/v3/cmd/task@v3.54.0"
)
log() { printf '[tools] %s\n' "$*" >&2; }
command -v go >/dev/null || { log "error: Go is needed to build the manifest tools"; exit 1; }

for entry in "${tools[@]}"; do
  read -r name module <<<"$entry"
  version="${module##*@}"
  bin="$CACHE_DIR/tools/$name-$version"
  if [ ! -x "$bin/$name" ]; then
    log "building $name $version"
    mkdir -p "$bin"
    GOBIN="$bin" CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod go install "$module" >&2 \
      || { log "error: could not build $module"; exit 1; }
  fi
  mkdir -p "$CACHE_DIR/tools/bin"
  ln -sf "$bin/$name" "$CACHE_DIR/tools/bin/$name"
done
# The project's own small Go checkers, each pinned by its go.mod and go.sum and built once per
# version of its sources: knative-check (Knative Serving's own validation, scripts/k8s/) and
# compose-check (the Compose specification's loader, scripts/deploy/).
build_check() {
  local src name id bin
  src="$(cd "$(dirname "$0")/../$1" && pwd)"; name=$(basename "$src")
  id=$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-12)
  bin="$CACHE_DIR/tools/$name-$id"
  if [ ! -x "$bin/$name" ]; then
    log "building $name ($id)"
    mkdir -p "$bin"
    (cd "$src" && CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath -o "$bin/$name.partial" .) >&2 \
      || { log "error: could not build $name"; exit 1; }
    mv "$bin/$name.partial" "$bin/$name"
  fi
  ln -sf "$bin/$name" "$CACHE_DIR/tools/bin/$name"
}
build_check k8s/knative-check
build_check deploy/compose-check

echo "$CACHE_DIR/tools/bin"
