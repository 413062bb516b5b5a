#!/usr/bin/env bash
# Shows what is running, where, and where its logs are.
. "$(dirname "$0")/common.sh"
state() { if "$@" >/dev/null 2>&1; then echo up; else echo down; fi; }
printf '%-11s %-5s %-40s %s\n' service state url log
printf '%-11s %-5s %-40s %s\n' postgresql "$(state pg_isready -q -h 127.0.0.1 -p "$PG_PORT")" "postgres://daprps@127.0.0.1:$PG_PORT/daprps" "$INFRA_DIR/postgres/server.log"
printf '%-11s %-5s %-40s %s\n' redis "$(state sh -c "redis-cli -p $REDIS_PORT ping | grep -q PONG")" "redis://127.0.0.1:$REDIS_PORT" "$INFRA_DIR/redis/redis.log"
printf '%-11s %-5s %-40s %s\n' kafka "$(state port_open "$KAFKA_PORT")" "127.0.0.1:$KAFKA_PORT" "$INFRA_DIR/kafka/kafka.log"
printf '%-11s %-5s %-40s %s\n' zipkin "$(state port_open "$ZIPKIN_PORT")" "http://127.0.0.1:$ZIPKIN_PORT" "$INFRA_DIR/zipkin/zipkin.log"
