#!/usr/bin/env bash
# The full test run: provisions PostgreSQL, Redis and Kafka (installing them when missing) and
# daprd and the manifest tools (built once from the Go module proxy, cached) and Chromium, and the
# production image (a Docker engine, the base made here, the build; scripts/container/) and what
# compose.yaml runs on (stand-ins of its infrastructure's images, Compose v2), then runs
# every suite with REQUIRE_INFRA=1, so a suite that cannot reach its infrastructure fails
# instead of skipping. Extra arguments go to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything below on the Node that npm ci installed (the `node` dev dependency), as under npm run,
# also when this script is started with bash directly.
export PATH="$PWD/node_modules/.bin:$PATH"
eval "$(bash scripts/infra/up.sh | sed 's/^/export /')"
bash scripts/dapr/install.sh >/dev/null
bash scripts/tools/install.sh >/dev/null
# Debian's Chromium for the browser tests (installed once when missing; no browser download).
CHROMIUM_PATH="$(bash scripts/browser/install.sh)"
export CHROMIUM_PATH
# The production image for test/image.test.ts, each step timed (installs and makes what is missing).
# A step that fails stops the run, also inside a command substitution (which set -e alone does not see).
shopt -s inherit_errexit
timed() {
  local t0 rc=0; t0=$(date +%s)
  "$@" || rc=$?
  printf '[test-all] %s: %ss%s\n' "${*: -1}" $(( $(date +%s) - t0 )) "$([ $rc -eq 0 ] || echo " (failed: $rc)")" >&2
  return $rc
}
engine="$(timed bash scripts/container/engine.sh)"
[[ $engine == DOCKER_HOST=?* ]] || { echo "[test-all] error: engine.sh printed no DOCKER_HOST" >&2; exit 1; }
export "$engine"
NODE_IMAGE="$(timed bash scripts/container/base-image.sh)"
[ -n "$NODE_IMAGE" ] || { echo "[test-all] error: base-image.sh printed no image" >&2; exit 1; }
export NODE_IMAGE
timed bash scripts/container/image.sh >/dev/null
# compose.yaml's infrastructure (test-only stand-ins, no registry here) and Compose v2, for test/compose.test.ts.
timed bash scripts/container/stand-ins.sh >/dev/null
timed bash scripts/container/compose.sh >/dev/null
export REQUIRE_INFRA=1 TEST_DATABASE_URL="$DATABASE_URL" TEST_REDIS_URL="$REDIS_URL" TEST_KAFKA_BROKERS="$KAFKA_BROKERS" TEST_ZIPKIN_ENDPOINT="$OTEL_EXPORTER_ZIPKIN_ENDPOINT"
unset DATABASE_URL REDIS_URL KAFKA_BROKERS OTEL_EXPORTER_ZIPKIN_ENDPOINT
npx tsc --noEmit
npx vitest run "$@"
npx tsx scripts/reliability-report.ts --print
