#!/usr/bin/env bash
# Apache Kafka $KAFKA_VERSION as one KRaft broker+controller on 127.0.0.1:$KAFKA_PORT, run with the
# machine's Java 17 from the jars on Maven Central (fetch-kafka.sh), then the project's
# topics. Reused when already running.
. "$(dirname "$0")/common.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
brokers="127.0.0.1:$KAFKA_PORT"

if ! port_open "$KAFKA_PORT"; then
  command -v java >/dev/null || die "Java 17+ is needed to run Kafka"
  libs=$("$(dirname "$0")/fetch-kafka.sh")

  dir="$INFRA_DIR/kafka"
  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  cat >"$dir/log4j.properties" <<'LOG'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=WARN
log4j.logger.org.apache.kafka=WARN
LOG
  java_cmd=(java -Xms256m -Xmx512m "-Dlog4j.configuration=file:$dir/log4j.properties" -cp "$libs/*")
  if [ ! -f "$dir/data/meta.properties" ]; then
    cluster_id=$("${java_cmd[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    "${java_cmd[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" --ignore-formatted >"$dir/format.log" 2>&1 \
      || die "formatting Kafka's storage failed, see $dir/format.log"
  fi
  log "starting Kafka on $brokers"
  nohup "${java_cmd[@]}" kafka.Kafka "$dir/server.properties" >"$dir/kafka.log" 2>&1 &
  echo $! >"$dir/kafka.pid"
  wait_for 90 port_open "$KAFKA_PORT" || die "Kafka did not start, see $dir/kafka.log"
else
  log "Kafka already up on $brokers"
fi

# The project's topics (idempotent); the broker may take a moment to accept admin requests.
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if (cd "$root" && KAFKA_BROKERS="$brokers" node_modules/.bin/tsx scripts/infra/create-topics.ts) >"$INFRA_DIR/kafka-topics.log" 2>&1; then break; fi
  [ "$attempt" = 10 ] && die "creating topics failed, see $INFRA_DIR/kafka-topics.log"
  sleep 1
done
echo "$brokers"
