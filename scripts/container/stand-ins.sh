#!/usr/bin/env bash
# Gets the infrastructure images compose.yaml names: pulled where a registry answers; where none
# does (here), a test-only stand-in is built instead, one target of stand-ins/Dockerfile per image,
# tagged with the official name and labelled daprps.stand-in=<hash of what it is made of> (and
# described as TEST-ONLY). An image of that name that is not a stand-in (the official one) is left
# alone; a stand-in made from the same inputs is kept. Needs DOCKER_HOST (engine.sh) and the base (base-image.sh, as NODE_IMAGE or made).
# Prints the images' names.
. "$(dirname "$0")/common.sh"
here="$root/scripts/container/stand-ins"
need_engine
# The images, as compose.yaml names them (the shop's own aside): each stand-in is the Dockerfile's
# target named like the image's repository (postgres, redis, kafka, zipkin, daprd).
images=()
for name in $(sed -n 's/^ *image: *//p' "$root/compose.yaml" | sort -u); do
  case $name in daprps:*) continue ;; esac
  repo=${name%%:*}; images+=("${repo##*/} $name")
done
[ ${#images[@]} -gt 0 ] || die "compose.yaml names no image"
dapr_version=$(cat "$root/scripts/dapr/version")
[ -z "${DAPR_VERSION:-}" ] || [ "$DAPR_VERSION" = "$dapr_version" ] \
  || die "DAPR_VERSION=$DAPR_VERSION, but the daprd stand-in is built from scripts/dapr/version (${dapr_version})"
base="${NODE_IMAGE:-$(bash "$root/scripts/container/base-image.sh")}"
. "$root/scripts/container/builder.sh"

# What the stand-ins are made of: the sources here, the jars and daprd the native scripts fetch and
# build, and the base. Hashed where they lie; copied into a build context only when one is built.
libs=$(bash "$root/scripts/infra/fetch-kafka.sh")
zipkin=$(bash "$root/scripts/infra/fetch-zipkin.sh")
daprd=$(bash "$root/scripts/dapr/install.sh")
hash=$( (cd "$here" && find . -type f | sort | xargs sha256sum; cd "$libs" && find . -type f | sort | xargs sha256sum
  sha256sum <"$zipkin"; sha256sum <"$daprd"; docker image inspect "$base" --format '{{.Id}}') | sha256sum | cut -c1-16)
ctx=""
trap '[ -z "$ctx" ] || rm -rf "$ctx"' EXIT
context() {
  [ -z "$ctx" ] || return 0
  ctx=$(mktemp -d)
  cp -r "$here/." "$ctx/"
  mkdir -p "$ctx/kafka"
  cp -r "$libs" "$ctx/kafka/libs"
  cp "$zipkin" "$ctx/zipkin.jar"
  cp "$daprd" "$ctx/daprd"
  bash "$root/scripts/container/debian-sources.sh" >"$ctx/.sources"
  printf '.sources\n' >"$ctx/.dockerignore"
}
buildlog="$CACHE_DIR/docker/stand-ins-build.log"
: >"$buildlog"
for entry in "${images[@]}"; do
  read -r target name <<<"$entry"
  label=$(docker image inspect "$name" --format '{{ index .Config.Labels "daprps.stand-in" }}' 2>/dev/null) || label=absent
  case $label in
    "$hash") continue ;;
    ''|'<no value>') log "$name is not a stand-in (the official image): left as it is"; continue ;;
  esac
  # Where a registry answers, the official image (and it stays: it is not a stand-in).
  if timeout 300 docker pull -q "$name" >/dev/null 2>&1; then log "$name pulled (the official image)"; continue; fi
  started=$(date +%s)
  context
  "${build[@]}" --progress=plain --target "$target" --build-arg "BASE=$base" --secret "id=sources,src=$ctx/.sources" \
    --label "daprps.stand-in=$hash" \
    --label "org.opencontainers.image.description=TEST-ONLY stand-in for $name made by daprps (scripts/container/stand-ins.sh), not the official image" \
    -t "$name" "$ctx" >>"$buildlog" 2>&1 \
    || { tail -n 30 "$buildlog" >&2; die "building the stand-in $name failed, see $buildlog"; }
  log "no registry answers for $name: test-only stand-in built in $(( $(date +%s) - started ))s"
done
# The stand-ins these replaced, untagged now.
docker image prune -f --filter "label=daprps.stand-in" >/dev/null || log "could not prune older stand-ins"
for entry in "${images[@]}"; do read -r _ name <<<"$entry"; echo "$name"; done
