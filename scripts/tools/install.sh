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
# Knative's own validation (scripts/k8s/knative-check: knative.dev/serving's API code, pinned
# in its go.mod and go.sum), built once per version of its sources.
check_src="$(cd "$(dirname "$0")/../k8s/knative-check" && pwd)"
check_id=$(cat "$check_src/go.mod" "$check_src/go.sum" "$check_src/main.go" | sha256sum | cut -c1-12)
check_bin="$CACHE_DIR/tools/knative-check-$check_id"
if [ ! -x "$check_bin/knative-check" ]; then
  log "building knative-check ($check_id)"
  mkdir -p "$check_bin"
  (cd "$check_src" && CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath -o "$check_bin/knative-check.partial" .) >&2 \
    || { log "error: could not build knative-check"; exit 1; }
  mv "$check_bin/knative-check.partial" "$check_bin/knative-check"
fi
ln -sf "$check_bin/knative-check" "$CACHE_DIR/tools/bin/knative-check"

echo "$CACHE_DIR/tools/bin"
