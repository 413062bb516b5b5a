#!/usr/bin/env bash
# Builds the test-only stand-ins for the infrastructure images compose.yaml names (no registry
# answers here, so they cannot be pulled): one target of stand-ins/Dockerfile per image, tagged
# with the official name and labelled daprps.stand-in=<hash of what it is made of>. An image of that
# name that is not a stand-in (the official one, pulled) is left alone; a stand-in made from the same
# sources is kept. Needs DOCKER_HOST (engine.sh) and the base (base-image.sh, as NODE_IMAGE or made).
# Prints the images' names.
. "$(dirname "$0")/common.sh"
here="$root/scripts/container/stand-ins"
need_engine
# The images and their versions: what compose.yaml names (scripts/deploy/compose-infra.ts) and
# what scripts/infra/ and scripts/dapr/ pin.
dapr_version=$(cat "$root/scripts/dapr/version")
images=(
  "postgres postgres:15-alpine"
  "redis redis:7-alpine"
  "kafka apache/kafka:3.9.1"
  "zipkin openzipkin/zipkin:3.5.1"
  "daprd daprio/daprd:${dapr_version#v}"
)
base="${NODE_IMAGE:-$(bash "$root/scripts/container/base-image.sh")}"
. "$root/scripts/container/builder.sh"

# What each stand-in is made of: its sources here, the base, the jars' and daprd's versions.
hash=$( (cd "$here" && find . -type f | sort | xargs sha256sum; docker image inspect "$base" --format '{{.Id}}'; \
  grep -h '_VERSION=' "$root/scripts/infra/common.sh"; echo "$dapr_version") | sha256sum | cut -c1-16)
missing=()
for entry in "${images[@]}"; do
  read -r target name <<<"$entry"
  label=$(docker image inspect "$name" --format '{{ index .Config.Labels "daprps.stand-in" }}' 2>/dev/null) || label=absent
  case $label in
    "$hash") ;;
    ''|'<no value>') log "$name is not a stand-in (an official image?): left as it is" ;;
    *) missing+=("$entry") ;;
  esac
done
if [ ${#missing[@]} -gt 0 ]; then
  # The build's context: the sources here, and the jars and daprd the native scripts fetch and build.
  ctx=$(mktemp -d); trap 'rm -rf "$ctx"' EXIT
  cp -r "$here/." "$ctx/"
  mkdir -p "$ctx/kafka"
  cp -r "$(bash "$root/scripts/infra/fetch-kafka.sh")" "$ctx/kafka/libs"
  cp "$(bash "$root/scripts/infra/fetch-zipkin.sh")" "$ctx/zipkin.jar"
  cp "$(bash "$root/scripts/dapr/install.sh")" "$ctx/daprd"
  bash "$root/scripts/container/debian-sources.sh" >"$ctx/.sources"
  printf '.sources\n' >"$ctx/.dockerignore"
  buildlog="$CACHE_DIR/docker/stand-ins-build.log"
  : >"$buildlog"
  for entry in "${missing[@]}"; do
    read -r target name <<<"$entry"
    started=$(date +%s)
    "${build[@]}" --progress=plain --target "$target" --build-arg "BASE=$base" --secret "id=sources,src=$ctx/.sources" \
      --label "daprps.stand-in=$hash" -t "$name" "$ctx" >>"$buildlog" 2>&1 \
      || { tail -n 30 "$buildlog" >&2; die "building the stand-in $name failed, see $buildlog"; }
    log "stand-in $name built in $(( $(date +%s) - started ))s"
  done
fi
for entry in "${images[@]}"; do read -r _ name <<<"$entry"; echo "$name"; done
