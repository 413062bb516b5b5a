#!/usr/bin/env bash
# Builds the Go tools the manifest checks use, once per pinned version, with `go install`
# through the Go module proxy: kustomize (renders knative/overlays/*), kubeconform
# (validates the rendered objects against JSON schemas) and go-task (runs Taskfile.yml). Cached in $DAPRPS_CACHE_DIR/tools,
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
echo "$CACHE_DIR/tools/bin"
