# Shared settings of the native infrastructure scripts (sourced, not run).
# Everything lives outside the repository: state and logs in $DAPRPS_INFRA_DIR, downloads in
# $DAPRPS_CACHE_DIR. Services listen on loopback only, on ports that avoid the usual defaults.
set -euo pipefail

INFRA_DIR="${DAPRPS_INFRA_DIR:-/var/tmp/daprps-infra}"
CACHE_DIR="${DAPRPS_CACHE_DIR:-${HOME:-/root}/.cache/daprps}"
PG_PORT="${DAPRPS_PG_PORT:-55432}"
REDIS_PORT="${DAPRPS_REDIS_PORT:-56379}"
KAFKA_PORT="${DAPRPS_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${DAPRPS_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_VERSION=3.9.1
ZIPKIN_PORT="${DAPRPS_ZIPKIN_PORT:-9411}"
ZIPKIN_VERSION=3.5.1
mkdir -p "$INFRA_DIR" "$CACHE_DIR"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

# Installs Debian packages when a command is missing (root, or sudo without a password).
ensure_packages() {
  local cmd=$1; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  log "installing $* (Debian packages)"
  $sudo apt-get update -qq >/dev/null || die "apt-get update failed; install $* yourself"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "apt-get install $* failed; install them yourself"
}

# Whether something listens on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits until "$@" succeeds, up to $1 seconds.
wait_for() {
  local seconds=$1; shift
  for _ in $(seq $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}
