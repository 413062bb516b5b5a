#!/bin/sh
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} exec "$(dirname "$0")/kafka-run-class.sh" kafka.Kafka "$@"
