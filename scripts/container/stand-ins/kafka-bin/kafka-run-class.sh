#!/bin/sh
# As Kafka's own kafka-run-class.sh, reduced to what the stand-in runs: a class of the jars in
# /opt/kafka/libs on the image's Java, logging by /opt/kafka/config/log4j.properties.
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties \
  -cp '/opt/kafka/libs/*' "$@"
