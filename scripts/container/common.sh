# Shared settings of the container scripts (sourced, not run): strict mode, the repo's root, the
# cache outside it, their log lines.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE_DIR="${DAPRPS_CACHE_DIR:-${HOME:-/root}/.cache/daprps}"
log() { printf '[container] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# Stops unless an engine is chosen (engine.sh prints the assignment).
need_engine() { [ -n "${DOCKER_HOST:-}" ] || die "DOCKER_HOST is not set: start the engine with scripts/container/engine.sh"; }
