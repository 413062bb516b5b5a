#!/usr/bin/env bash
# Starts (installing when missing) everything the real-infrastructure mode and its tests need:
# PostgreSQL, Redis, Kafka, Zipkin. Prints their addresses as environment assignments.
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")
started=$(date +%s)
pg_url=$("$here/postgres.sh")
redis_url=$("$here/redis.sh")
kafka_brokers=$("$here/kafka.sh")
zipkin_url=$("$here/zipkin.sh")
log "ready in $(( $(date +%s) - started ))s"
cat <<OUT
DATABASE_URL=$pg_url
REDIS_URL=$redis_url
KAFKA_BROKERS=$kafka_brokers
OTEL_EXPORTER_ZIPKIN_ENDPOINT=$zipkin_url
OUT
