#!/usr/bin/env bash
# Installs Chromium for the browser tests from Debian's own package (`apt-get install chromium`),
# when it is missing, and prints its path. Playwright drives it (playwright-core, which downloads
# no browser). Installing needs root, or sudo without a password; with neither, says how.
# Set CHROMIUM_PATH to use another Chromium instead.
set -euo pipefail
log() { printf '[browser] %s\n' "$*" >&2; }

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || { log "error: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"; exit 1; }
  echo "$CHROMIUM_PATH"; exit 0
fi
if command -v chromium >/dev/null; then command -v chromium; exit 0; fi

command -v apt-get >/dev/null || { log "error: no chromium and no apt-get: install Chromium and set CHROMIUM_PATH"; exit 1; }
if [ "$(id -u)" -eq 0 ]; then as_root=(); elif sudo -n true 2>/dev/null; then as_root=(sudo -n); else
  log "error: no chromium; install it with: sudo apt-get install -y chromium"; exit 1
fi
log "installing Debian's chromium package"
"${as_root[@]}" apt-get update -qq >&2 || log "apt-get update failed; trying the install with the lists there are"
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium >&2 \
  || { log "error: apt-get install chromium failed"; exit 1; }
command -v chromium
