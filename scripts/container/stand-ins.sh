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
# The images and their versions: what compose.yaml names (scripts/deploy/compose-infra.ts) and
# what scripts/infra/ and scripts/dapr/ pin.
dapr_version=$(cat "$root/scripts/dapr/version")
[ -z "${DAPR_VERSION:-}" ] || [ "$DAPR_VERSION" = "$dapr_version" ] \
  || die "DAPR_VERSION=$DAPR_VERSION, but compose.yaml names daprd ${dapr_version#v} (scripts/dapr/version)"
images=(
  "postgres postgres:15-alpine"
  "redis redis:7-alpine"
  "kafka apache/kafka:3.9.1"
  "zipkin openzipkin/zipkin:3.5.1"
  "daprd daprio/daprd:${dapr_version#v}"
)
base="${NODE_IMAGE:-$(bash "$root/scripts/container/base-image.sh")}"
. "$root/scripts/container/builder.sh"

# The build's context: the sources here, and the jars and daprd the native scripts fetch and build.
ctx=$(mktemp -d); trap 'rm -rf "$ctx"' EXIT
cp -r "$here/." "$ctx/"
mkdir -p "$ctx/kafka"
cp -r "$(bash "$root/scripts/infra/fetch-kafka.sh")" "$ctx/kafka/libs"
cp "$(bash "$root/scripts/infra/fetch-zipkin.sh")" "$ctx/zipkin.jar"
cp "$(bash "$root/scripts/dapr/install.sh")" "$ctx/daprd"
# What each stand-in is made of: every file of the context (the jars and daprd as fetched and
# built), and the base.
hash=$( (cd "$ctx" && find . -type f | sort | xargs sha256sum; docker image inspect "$base" --format '{{.Id}}') \
  | sha256sum | cut -c1-16)
bash "$root/scripts/container/debian-sources.sh" >"$ctx/.sources"
printf '.sources\n' >"$ctx/.dockerignore"
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
