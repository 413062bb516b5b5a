#!/usr/bin/env bash
# Stops what up.sh started (the data stays in $DAPRPS_INFRA_DIR for the next start).
. "$(dirname "$0")/common.sh"
if [ -f "$INFRA_DIR/postgres/postmaster.pid" ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$INFRA_DIR/postgres" -m fast stop >/dev/null || true
  else "$bin/pg_ctl" -D "$INFRA_DIR/postgres" -m fast stop >/dev/null || true; fi
  log "PostgreSQL stopped"
fi
if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; log "Redis stopped"; fi
if [ -f "$INFRA_DIR/kafka/kafka.pid" ] && kill -0 "$(cat "$INFRA_DIR/kafka/kafka.pid")" 2>/dev/null; then
  pid=$(cat "$INFRA_DIR/kafka/kafka.pid"); kill "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  rm -f "$INFRA_DIR/kafka/kafka.pid"; log "Kafka stopped"
fi
if [ -f "$INFRA_DIR/zipkin/zipkin.pid" ] && kill -0 "$(cat "$INFRA_DIR/zipkin/zipkin.pid")" 2>/dev/null; then
  kill "$(cat "$INFRA_DIR/zipkin/zipkin.pid")"; rm -f "$INFRA_DIR/zipkin/zipkin.pid"; log "Zipkin stopped"
fi
