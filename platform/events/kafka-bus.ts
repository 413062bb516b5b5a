import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { ShopError } from '../errors.ts';
import type { Log } from '../log.ts';
import type { EventBus } from './bus.ts';
import { unreadableLetter, type SendDeadLetter } from './dead-letter.ts';
import type { RetryPolicy } from './memory-bus.ts';
import { parseCloudEvent } from './parse-event.ts';

/** Options of the Kafka bus. */
export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Prefix of every topic and consumer group name. */
  prefix?: string;
  retry?: RetryPolicy;
  /** Where a message that is no CloudEvent goes (the dead-letter topic); it is then skipped. */
  unreadable: SendDeadLetter;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The event bus on Kafka (kafkajs): an idempotent producer writing structured CloudEvents keyed
 * by the event's key; one consumer group per subscriber, an offset committed only after the
 * listener succeeded. A failing listener is retried with backoff; past the last attempt the
 * offset stays uncommitted and the consumer restarts from it (at least once, never skipped).
 */
export function kafkaBus(opts: KafkaBusOptions, log: Log): EventBus & { connect(): Promise<void> } {
  const retry = opts.retry ?? { attempts: 5, firstDelayMs: 100 };
  const name = (n: string) => `${opts.prefix ?? ''}${n}`;
  const kafka = new Kafka({ clientId: opts.clientId, brokers: opts.brokers, logLevel: logLevel.NOTHING, retry: { retries: 5 } });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumers: Consumer[] = [];
  let connected: Promise<void> | undefined;
  // For readiness only: asks for a topic's metadata, without retries.
  const probe = new Kafka({ clientId: `${opts.clientId}-health`, brokers: opts.brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  let probing: Promise<void> | undefined;

  const connect = () =>
    (connected ??= producer.connect().catch((e) => {
      connected = undefined;
      throw new Error(`Kafka is unreachable at ${opts.brokers.join(',')} (${(e as Error).message}); start it with "npm run infra:up" or fix KAFKA_BROKERS`, { cause: e });
    }));

  return {
    connect,
    async publish(topic, key, event) {
      await connect().catch((cause) => Promise.reject(new ShopError('unavailable', 'the event broker is unavailable', undefined, { cause })));
      const headers: Record<string, string> = { 'content-type': 'application/cloudevents+json' };
      if (event.traceparent) headers.traceparent = event.traceparent;
      await producer.send({ topic: name(topic), acks: -1, messages: [{ key, value: JSON.stringify(event), headers }] });
    },
    async subscribe(topic, group, listener) {
      const consumer = kafka.consumer({ groupId: name(group.replace(/\//g, '-')), sessionTimeout: 10_000, heartbeatInterval: 1_000, retry: { retries: 10 } });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic: name(topic), fromBeginning: true });
      await consumer.run({
        // An offset is committed once eachMessage resolves for it (threshold 1: after every
        // message, and on disconnect), never when it throws: then the message comes again.
        autoCommit: true,
        autoCommitThreshold: 1,
        eachMessage: async ({ message, partition, heartbeat }) => {
          const payload = message.value?.toString('utf8') ?? '';
          const key = message.key?.toString('utf8') ?? '';
          const event = parseCloudEvent(payload);
          if (!event) {
            await opts.unreadable(unreadableLetter({ topic, handler: group, key, payload, reason: 'message is not a CloudEvent' }));
            log.error({ topic, group, partition, offset: message.offset }, 'message is not a CloudEvent: dead-lettered');
            return;
          }
          for (let attempt = 1; ; attempt++) {
            try {
              await listener(event, { key, payload });
              break;
            } catch (err) {
              log.warn({ err, topic, group, event_id: event?.id, attempt }, 'event handler failed');
              if (attempt >= retry.attempts) throw err;
              await sleep(retry.firstDelayMs * 2 ** (attempt - 1));
              await heartbeat();
            }
          }
        },
      });
    },
    async ready() {
      await (probing ??= probe.connect().catch((e) => Promise.reject((probing = undefined, e))));
      // Metadata of one topic, the one every handler needs (where it sends what it gives up on):
      // describing the cluster would fetch the metadata of every topic, slow on a busy cluster.
      const { topics } = await probe.fetchTopicMetadata({ topics: [name('dead-letters')] });
      if (!topics[0]?.partitions.length) throw new Error(`Kafka has no topic ${name('dead-letters')}`);
    },
    async close() {
      await Promise.all(consumers.map((c) => c.disconnect()));
      if (connected) await producer.disconnect();
      if (probing) await probe.disconnect();
    },
  };
}

/** Creates the topics that do not exist yet (idempotent). */
export async function ensureTopics(brokers: string[], topics: string[], partitions = 3): Promise<void> {
  const admin = new Kafka({ clientId: 'daprps-setup', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
  } finally {
    await admin.disconnect();
  }
}
