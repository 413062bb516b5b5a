import { topics } from '../../functions/events/topics.ts';
import { cluster } from './dapr-targets.ts';
import { resourceLines, restrictedSecurity } from './knative-container.ts';
import { GENERATED } from './knative-service.ts';

/** The Kafka image the topics Job and compose run (the broker's version, as `npm run infra:up` fetches it). */
export const KAFKA_IMAGE = 'apache/kafka:3.9.1';

/** Partitions of every topic, as `npm run infra:up` creates them. */
export const TOPIC_PARTITIONS = 3;

/**
 * A Job that creates every topic of functions/events/topics.ts, with the environment's
 * KAFKA_PREFIX (from daprps-config), on the cluster's Kafka; idempotent (`--if-not-exists`), so
 * it can run on every deploy. Partitions: 3, as locally and in compose; replication: the
 * broker's default.
 */
export function topicsJob(): string {
  const names = Object.keys(topics).join(' ');
  return [
    GENERATED,
    `# Creates the shop's topics (${names}) with this environment's KAFKA_PREFIX,`,
    `# on ${cluster.kafka}. Idempotent. A Job's pod template cannot change: delete the finished`,
    '# Job before applying a new setting (TTL removes it an hour after it finished anyway).',
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    '  name: daprps-kafka-topics',
    '  labels:',
    '    app.kubernetes.io/name: daprps-kafka-topics',
    '    app.kubernetes.io/component: kafka-topics',
    'spec:',
    '  backoffLimit: 6',
    '  activeDeadlineSeconds: 600',
    '  ttlSecondsAfterFinished: 3600',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app.kubernetes.io/component: kafka-topics',
    '        app.kubernetes.io/part-of: daprps',
    '    spec:',
    '      restartPolicy: Never',
    '      containers:',
    '        - name: kafka-topics',
    `          image: ${KAFKA_IMAGE}`,
    '          command: [/bin/sh, -c]',
    '          args:',
    '            - |',
    '              set -e',
    `              for topic in ${names}; do`,
    `                /opt/kafka/bin/kafka-topics.sh --bootstrap-server ${cluster.kafka} --create --if-not-exists \\`,
    `                  --topic "\${KAFKA_PREFIX}\${topic}" --partitions ${TOPIC_PARTITIONS}`,
    '              done',
    '          envFrom:',
    "            # KAFKA_PREFIX: the environment's, as its components use it.",
    '            - configMapRef:',
    '                name: daprps-config',
    ...resourceLines({ requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
    '          securityContext:',
    ...restrictedSecurity,
    '',
  ].join('\n');
}
