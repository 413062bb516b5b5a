#!/usr/bin/env bash
# Starts the project's own Docker engine (dockerd from Debian's docker.io, installed when missing)
# and prints its address as an environment assignment (DOCKER_HOST=unix://...). There is no
# systemd here to start one: dockerd runs as root in the background, its data, run state, socket,
# pidfile and log under $DAPRPS_CACHE_DIR/docker (images and build cache are kept between runs).
# Its default bridge (docker0, NAT by iptables, which docker.io brings) works here: builds reach
# the package registries through it. Reused when it already answers. Set DOCKER_HOST to use
# another engine instead (checked, not started).
set -euo pipefail
CACHE_DIR="${DAPRPS_CACHE_DIR:-${HOME:-/root}/.cache/daprps}"
dir="$CACHE_DIR/docker"
sock="$dir/docker.sock"
log() { printf '[container] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
answers() { DOCKER_HOST="$1" docker info >/dev/null 2>&1; }

if [ -n "${DOCKER_HOST:-}" ]; then
  answers "$DOCKER_HOST" || die "DOCKER_HOST=$DOCKER_HOST does not answer docker info"
  echo "DOCKER_HOST=$DOCKER_HOST"; exit 0
fi
if answers "unix://$sock"; then log "engine already up on $sock"; echo "DOCKER_HOST=unix://$sock"; exit 0; fi

if ! command -v dockerd >/dev/null; then
  command -v apt-get >/dev/null || die "no dockerd and no apt-get: install a Docker engine and set DOCKER_HOST"
  if [ "$(id -u)" -eq 0 ]; then as_root=(); elif sudo -n true 2>/dev/null; then as_root=(sudo -n); else
    die "no dockerd; install it with: sudo apt-get install -y docker.io"
  fi
  log "installing Debian's docker.io package (log $dir/apt.log)"
  mkdir -p "$dir"
  "${as_root[@]}" apt-get update -qq >"$dir/apt.log" 2>&1 || log "apt-get update failed; trying the install with the lists there are"
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends docker.io >>"$dir/apt.log" 2>&1 \
    || die "apt-get install docker.io failed, see $dir/apt.log"
fi
[ "$(id -u)" -eq 0 ] || die "dockerd runs as root here (no rootless setup): run this as root, or start an engine and set DOCKER_HOST"

mkdir -p "$dir/data" "$dir/exec"
# A pidfile of a dockerd that is gone (or a zombie nobody reaped: a killed session's) stops a start.
state() { awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || echo gone; }
for pidfile in "$dir/dockerd.pid" "$dir/exec/containerd/containerd.pid"; do
  [ -f "$pidfile" ] || continue
  case $(state "$(cat "$pidfile")") in gone|Z) rm -f "$pidfile" ;; esac
done
log "starting dockerd (data in $dir/data, log $dir/dockerd.log)"
nohup dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$sock" --pidfile "$dir/dockerd.pid" \
  >"$dir/dockerd.log" 2>&1 &
pid=$!
for _ in $(seq 150); do
  answers "unix://$sock" && break
  kill -0 "$pid" 2>/dev/null || die "dockerd exited: $(tail -n 3 "$dir/dockerd.log")"
  sleep 0.2
done
answers "unix://$sock" || die "dockerd did not answer within 30s, see $dir/dockerd.log"
log "engine up: $(DOCKER_HOST="unix://$sock" docker version --format 'Docker Engine {{.Server.Version}}')"
echo "DOCKER_HOST=unix://$sock"
