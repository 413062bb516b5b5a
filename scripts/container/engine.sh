#!/usr/bin/env bash
# Starts the project's own Docker engine (dockerd from Debian's docker.io, installed when missing)
# and prints its address as an environment assignment (DOCKER_HOST=unix://...). There is no
# systemd here to start one: dockerd runs as root in the background, its data, run state, socket,
# pidfile and log under $DAPRPS_CACHE_DIR/docker (images and build cache are kept between runs).
# Its default bridge (docker0, NAT by iptables, which docker.io brings) works here: builds reach
# the package registries through it. Reused when it already answers. Set DOCKER_HOST to use
# another engine instead (checked, not started).
. "$(dirname "$0")/common.sh"
dir="$CACHE_DIR/docker"
sock="$dir/docker.sock"
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
# Root's alone: the socket is root's engine (group root, not docker: no docker-group member gets
# root through it), wherever DAPRPS_CACHE_DIR puts it.
chmod 0700 "$dir"
# One start at a time: a second caller waits, then finds the first one's engine answering.
exec 9>"$dir/start.lock"
flock 9
if answers "unix://$sock"; then log "engine already up on $sock"; echo "DOCKER_HOST=unix://$sock"; exit 0; fi
# A pidfile of a dockerd that is gone (or a zombie nobody reaped: a killed session's, or a pid
# reused by another program since) stops a start.
state() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || echo gone; }
for entry in "dockerd $dir/dockerd.pid" "containerd $dir/exec/containerd/containerd.pid"; do
  read -r program pidfile <<<"$entry"
  [ -f "$pidfile" ] || continue
  case $(state "$(cat "$pidfile")" "$program") in gone|Z) rm -f "$pidfile" ;; esac
done
log "starting dockerd (data in $dir/data, log $dir/dockerd.log)"
# In a session of its own, from /, with a plain environment: not the caller's folder (a CI clone
# that goes away), PATH (node_modules/.bin) or settings, nor killed with the caller's process group.
(cd / && exec setsid -w env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="${HOME:-/root}" \
  dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$sock" --group root --pidfile "$dir/dockerd.pid" \
  >"$dir/dockerd.log" 2>&1 9>&-) &
pid=$!
for _ in $(seq 150); do
  answers "unix://$sock" && break
  kill -0 "$pid" 2>/dev/null || die "dockerd exited: $(tail -n 3 "$dir/dockerd.log")"
  sleep 0.2
done
answers "unix://$sock" || die "dockerd did not answer within 30s, see $dir/dockerd.log"
log "engine up: $(DOCKER_HOST="unix://$sock" docker version --format 'Docker Engine {{.Server.Version}}')"
echo "DOCKER_HOST=unix://$sock"
