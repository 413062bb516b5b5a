#!/bin/sh
# The stand-in apache/kafka image's start (test-only; see Dockerfile): as the official image, every
# KAFKA_* variable becomes a broker setting (KAFKA_FOO_BAR -> foo.bar; `__` -> `_`, `___` -> `-`),
# but those naming the JVM's own options; the storage is formatted once with CLUSTER_ID (the
# official image's default id when unset); then the broker runs in the foreground.
set -eu
conf=/opt/kafka/config/server.properties
env | sort | while IFS='=' read -r name value; do
  case $name in
    KAFKA_VERSION|KAFKA_HEAP_OPTS|KAFKA_LOG4J_OPTS|KAFKA_OPTS|KAFKA_JMX_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|\
    KAFKA_GC_LOG_OPTS|KAFKA_LOG4J_ROOT_LOGLEVEL|KAFKA_LOG4J_LOGGERS|KAFKA_TOOLS_LOG4J_LOGLEVEL|KAFKA_JMX_PORT|KAFKA_JMX_HOSTNAME) ;;
    KAFKA_*)
      key=$(printf '%s' "${name#KAFKA_}" | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g' | tr 'A-Z' 'a-z')
      printf '%s=%s\n' "$key" "$value" ;;
  esac
done >"$conf"
"$(dirname "$0")/kafka-storage.sh" format -t "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" -c "$conf" --ignore-formatted
exec "$(dirname "$0")/kafka-server-start.sh" "$conf"
