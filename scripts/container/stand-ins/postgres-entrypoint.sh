#!/bin/sh
# The stand-in postgres image's entrypoint (test-only; see Dockerfile): the official image's
# POSTGRES_PASSWORD (required), POSTGRES_USER, POSTGRES_DB and PGDATA; on an empty data folder,
# initdb, then listening on every address with password (scram-sha-256) authentication over TCP
# and trust on the local socket, as the official image. Started as root, it runs as postgres.
set -eu
[ $# -gt 0 ] || set -- postgres
if [ "${1:-}" != postgres ] && [ "${1#-}" = "${1:-}" ]; then exec "$@"; fi
[ "${1:-}" = postgres ] && shift
: "${POSTGRES_PASSWORD:?the postgres image needs POSTGRES_PASSWORD}"
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" postgres "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE \"$db\" OWNER \"$user\";" | postgres --single -D "$PGDATA" -j postgres >/dev/null
  fi
  echo "stand-in postgres: initialized $PGDATA (user $user, database $db)"
fi
exec postgres -D "$PGDATA" "$@"
