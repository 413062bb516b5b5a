#!/usr/bin/env bash
# Fetches Zipkin $ZIPKIN_VERSION's executable server jar from Maven Central with Maven, once, and
# prints its path (cached in $CACHE_DIR). Run by zipkin.sh (the native collector) and the compose
# stand-in (scripts/container/).
. "$(dirname "$0")/common.sh"
jar="$CACHE_DIR/zipkin-$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar"
if [ ! -f "$jar" ]; then
  command -v mvn >/dev/null || die "Maven is needed once, to fetch Zipkin's server jar"
  log "fetching Zipkin $ZIPKIN_VERSION with Maven (once) into $(dirname "$jar")"
  mvn -q -B dependency:copy -Dartifact="io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" -DoutputDirectory="$(dirname "$jar")" \
    >"$INFRA_DIR/zipkin-fetch.log" 2>&1 || die "fetching Zipkin failed, see $INFRA_DIR/zipkin-fetch.log"
fi
echo "$jar"
