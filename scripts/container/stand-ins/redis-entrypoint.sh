#!/bin/sh
# The stand-in redis image's entrypoint (test-only; see Dockerfile): as the official image, options
# alone mean redis-server's, protected mode is off (the official image builds it off: the network
# is the container's), and it runs as user redis in /data.
set -eu
case "${1:-}" in -*|*.conf) set -- redis-server "$@" ;; esac
if [ "${1:-}" = redis-server ]; then
  shift
  case "${1:-}" in
    *.conf) conf=$1; shift; set -- redis-server "$conf" --protected-mode no "$@" ;;
    *) set -- redis-server --protected-mode no "$@" ;;
  esac
  [ "$(id -u)" = 0 ] && exec setpriv --reuid=redis --regid=redis --init-groups "$@"
fi
exec "$@"
