#!/usr/bin/env bash
# Fetches Apache Kafka $KAFKA_VERSION's jars from Maven Central with Maven, once, and prints the
# folder holding them (cached in $CACHE_DIR): the broker (kafka_2.13), the command-line tools'
# classes (kafka-tools: kafka-topics and the others the official image ships) and reload4j for
# its logging. Run by kafka.sh (the native broker) and the compose stand-in (scripts/container/).
. "$(dirname "$0")/common.sh"
libs="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"
# The marker names what a complete fetch holds: a cache from before the tools were fetched is refetched.
marker="$libs/.complete-with-tools"
if [ ! -f "$marker" ]; then
  command -v mvn >/dev/null || die "Maven is needed once, to fetch Kafka's jars"
  log "fetching Kafka $KAFKA_VERSION jars with Maven (once) into $libs"
  pom=$(mktemp -d)
  cat >"$pom/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>daprps</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
    <dependency><groupId>ch.qos.reload4j</groupId><artifactId>reload4j</artifactId><version>1.2.25</version></dependency>
  </dependencies>
</project>
POM
  rm -rf "$libs.partial"
  (cd "$pom" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs.partial") >"$INFRA_DIR/kafka-fetch.log" 2>&1 \
    || die "fetching Kafka's jars failed, see $INFRA_DIR/kafka-fetch.log"
  rm -rf "$pom"
  touch "$libs.partial/$(basename "$marker")"
  # A broker running from the old folder keeps its open jars (unlinked files stay readable).
  rm -rf "$libs" && mv "$libs.partial" "$libs"
fi
echo "$libs"
