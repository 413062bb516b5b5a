#!/usr/bin/env bash
# PostgreSQL on 127.0.0.1:$PG_PORT with database and user `daprps` (trust auth on loopback:
# for local development and tests only). Reused when already running.
. "$(dirname "$0")/common.sh"

url="postgres://daprps@127.0.0.1:$PG_PORT/daprps"
if pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then log "PostgreSQL already up on $PG_PORT"; echo "$url"; exit 0; fi

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then ensure_packages pg_ctl postgresql; fi
ensure_packages pg_isready postgresql-client
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
data="$INFRA_DIR/postgres"

# PostgreSQL refuses to run as root: as root, run it as the `postgres` user of the package.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$data"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$data" && chmod 700 "$data"

if [ ! -f "$data/PG_VERSION" ]; then
  log "initialising a PostgreSQL cluster in $data"
  as_pg "$bin/initdb" -D "$data" -U daprps --auth=trust -E UTF8 --locale=C.UTF-8 >"$INFRA_DIR/postgres-init.log" 2>&1 \
    || die "initdb failed, see $INFRA_DIR/postgres-init.log"
fi
log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $PG_PORT -k /tmp -c max_connections=200 -c fsync=off -c synchronous_commit=off" start >/dev/null \
  || die "PostgreSQL did not start, see $data/server.log"
psql -q -h 127.0.0.1 -p "$PG_PORT" -U daprps -d postgres -tAc "select 1 from pg_database where datname = 'daprps'" | grep -q 1 \
  || psql -q -h 127.0.0.1 -p "$PG_PORT" -U daprps -d postgres -c "create database daprps"
echo "$url"
