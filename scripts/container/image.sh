#!/usr/bin/env bash
# Builds the production image (Dockerfile) as daprps:latest and prints its tag; its size goes to
# the log. The base is NODE_IMAGE when set (node:24-bookworm-slim where a registry answers), else
# the one made here (base-image.sh); the engine is DOCKER_HOST's, else the project's own
# (engine.sh). npm ci inside the build gets this machine's npm registry and the certificates its
# npm trusts as build secrets (the Dockerfile's `npmrc` and `npm_ca`), written to a temporary
# file, never into the image or the repo. Layers are cached by the engine (under $DAPRPS_CACHE_DIR).
. "$(dirname "$0")/common.sh"
IMAGE="${IMAGE:-daprps:latest}"

if [ -z "${DOCKER_HOST:-}" ]; then engine=$(bash "$root/scripts/container/engine.sh"); export "$engine"; fi
[ -n "${NODE_IMAGE:-}" ] || NODE_IMAGE=$(bash "$root/scripts/container/base-image.sh")

. "$root/scripts/container/builder.sh"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The registry only (scoped registries and auth tokens of the machine's .npmrc are not passed:
# pass your own .npmrc as the npmrc secret with docker build when you need them).
registry=$(cd "$root" && npm config get registry) && [ -n "$registry" ] || die "npm config get registry failed"
printf 'registry=%s\n' "$registry" >"$tmp/npmrc"
secrets=(--secret "id=npmrc,src=$tmp/npmrc")
ca=$(cd "$root" && npm config get cafile)
[ -f "$ca" ] || ca="${NODE_EXTRA_CA_CERTS:-}"
[ -n "$ca" ] && [ -f "$ca" ] && secrets+=(--secret "id=npm_ca,src=$ca")

revision=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
git -C "$root" diff --quiet HEAD 2>/dev/null || revision="$revision-dirty"
mkdir -p "$CACHE_DIR/docker"
buildlog="$CACHE_DIR/docker/image-build.log"
started=$(date +%s)
log "building $IMAGE on $NODE_IMAGE (log $buildlog)"
"${build[@]}" --progress=plain --build-arg "NODE_IMAGE=$NODE_IMAGE" "${secrets[@]}" \
  --label "org.opencontainers.image.revision=$revision" -t "$IMAGE" "$root" >"$buildlog" 2>&1 \
  || { tail -n 30 "$buildlog" >&2; die "docker build failed, see $buildlog"; }
# The build this one replaced, untagged now (only images carrying the label: this script's).
docker image prune -f --filter "label=org.opencontainers.image.revision" >/dev/null || log "could not prune older builds"
size=$(docker image inspect "$IMAGE" --format '{{.Size}}' | awk '{ printf "%.0f MB", $1 / 1e6 }')
log "$IMAGE built in $(( $(date +%s) - started ))s: $size (of which $NODE_IMAGE $(docker image inspect "$NODE_IMAGE" --format '{{.Size}}' | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
echo "$IMAGE"
