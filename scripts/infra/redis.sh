#!/usr/bin/env bash
# Redis on 127.0.0.1:$REDIS_PORT, no persistence (baskets are short-lived). Reused when running.
. "$(dirname "$0")/common.sh"

url="redis://127.0.0.1:$REDIS_PORT"
if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then log "Redis already up on $REDIS_PORT"; echo "$url"; exit 0; fi

ensure_packages redis-server redis-server
data="$INFRA_DIR/redis"
mkdir -p "$data"
log "starting Redis on 127.0.0.1:$REDIS_PORT"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$data" \
  --logfile "$data/redis.log" --pidfile "$data/redis.pid" --save '' --appendonly no >/dev/null
wait_for 20 sh -c "redis-cli -p $REDIS_PORT ping | grep -q PONG" || die "Redis did not start, see $data/redis.log"
echo "$url"
