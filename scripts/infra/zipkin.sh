#!/usr/bin/env bash
# Zipkin $ZIPKIN_VERSION (in-memory storage) on 127.0.0.1:$ZIPKIN_PORT, run with the machine's Java
# 17 from the server's executable jar on Maven Central (fetch-zipkin.sh): where the
# functions' OpenTelemetry spans and the Dapr sidecars' spans go. Reused when already running.
. "$(dirname "$0")/common.sh"

if ! port_open "$ZIPKIN_PORT"; then
  command -v java >/dev/null || die "Java 17+ is needed to run Zipkin"
  jar=$("$(dirname "$0")/fetch-zipkin.sh")
  dir="$INFRA_DIR/zipkin"
  mkdir -p "$dir"
  log "starting Zipkin on 127.0.0.1:$ZIPKIN_PORT"
  # Loopback only; spans kept in memory (a development collector), at most 50,000 of them (oldest
  # dropped first): its default, 500,000, does not fit the 256 MB heap, and a benchmark run with
  # tracing on sends that many in minutes (Zipkin died of OutOfMemoryError mid-test).
  MEM_MAX_SPANS=50000 QUERY_PORT="$ZIPKIN_PORT" nohup java -Xms64m -Xmx256m -jar "$jar" --armeria.ports[0].ip=127.0.0.1 --armeria.ports[0].port="$ZIPKIN_PORT" \
    >"$dir/zipkin.log" 2>&1 &
  echo $! >"$dir/zipkin.pid"
  wait_for 90 curl -sf "http://127.0.0.1:$ZIPKIN_PORT/health" || die "Zipkin did not start, see $dir/zipkin.log"
else
  log "Zipkin already up on 127.0.0.1:$ZIPKIN_PORT"
fi
echo "http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans"
