import { Kafka, logLevel, type Consumer, type Message, type Producer } from 'kafkajs';
import { ShopError } from '../errors.ts';
import type { Log } from '../log.ts';
import type { EventBus, Publication } from './bus.ts';

/** How many of a consumer's partitions it works on at once. */
const PARTITIONS_AT_ONCE = 3;

/** Options of the Kafka bus. */
export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Prefix of every topic and consumer group name. */
  prefix?: string;
}

/**
 * What eachMessage throws when the listener threw: kafkajs retries what is `retriable` (and
 * restarts its consumer once its retries are spent), but gives up for good on a TypeError,
 * RangeError, ReferenceError or SyntaxError, or an error marked `retriable: false`, leaving the
 * group without a consumer. Whatever the listener threw, the message must come again.
 */
class ListenerFailed extends Error {
  override name = 'ListenerFailed';
  readonly retriable = true;
}

/**
 * The event bus on Kafka (kafkajs): an idempotent producer writing structured CloudEvents keyed
 * by the event's key; one consumer group per subscriber, an offset committed only after the
 * listener took the message. When the listener throws, eachMessage throws: the offset stays
 * uncommitted, kafkajs fetches the partition again from that message after its retry backoff
 * (and past its retries restarts the consumer, which starts from the committed offset), so the
 * message is delivered again and nothing behind it is skipped. That redelivery is the
 * transport's at-least-once, not an attempt policy (attempts.ts gives up on events).
 */
export function kafkaBus(opts: KafkaBusOptions, log: Log): EventBus & { connect(): Promise<void> } {
  const name = (n: string) => `${opts.prefix ?? ''}${n}`;
  const kafka = new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 5 },
  });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumers: Consumer[] = [];
  let connected: Promise<void> | undefined;
  // For readiness only: asks for a topic's metadata, without retries.
  const probe = new Kafka({
    clientId: `${opts.clientId}-health`,
    brokers: opts.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  let probing: Promise<void> | undefined;

  const connect = () =>
    (connected ??= producer.connect().catch((e) => {
      connected = undefined;
      throw new Error(
        `Kafka is unreachable at ${opts.brokers.join(',')} (${(e as Error).message}); start it with "npm run infra:up" or fix KAFKA_BROKERS`,
        { cause: e },
      );
    }));

  /** One produce request for all of them, each topic's messages in their order. */
  const publishAll = async (events: readonly Publication[]) => {
    await connect().catch((cause) =>
      Promise.reject(new ShopError('unavailable', 'the event broker is unavailable', undefined, { cause })),
    );
    const byTopic = new Map<string, Message[]>();
    for (const { topic, key, event } of events) {
      const headers: Record<string, string> = { 'content-type': 'application/cloudevents+json' };
      if (event.traceparent) headers.traceparent = event.traceparent;
      const messages = byTopic.get(topic) ?? byTopic.set(topic, []).get(topic)!;
      messages.push({ key, value: JSON.stringify(event), headers });
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([t, messages]) => ({ topic: name(t), messages })),
    });
  };

  return {
    connect,
    publish: (topic, key, event) => publishAll([{ topic, key, event }]),
    publishAll,
    async subscribe(topic, group, listener) {
      // Redelivery waits kafkajs's retry backoff, at most maxRetryTime.
      const consumer = kafka.consumer({
        groupId: name(group.replace(/\//g, '-')),
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        retry: { retries: 10, maxRetryTime: 5_000 },
      });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic: name(topic), fromBeginning: true });
      await consumer.run({
        // Offsets are committed once eachMessage resolved for every message of a fetched batch
        // (kafkajs commits at the end of each batch, before a throw for the ones before it, and on
        // disconnect), never for one it threw on: then the message comes again. A crash in
        // between delivers the batch's applied messages again; handlers ignore event ids they
        // applied. (One commit per batch, not per message: a commit is a broker round trip.)
        autoCommit: true,
        // Its partitions side by side (order is kept within each, so per key): as many as the
        // shop's topics have (scripts/deploy/topics-job.ts); kafkajs runs no more than it holds.
        partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
        eachMessage: async ({ message, partition, heartbeat }) => {
          const traceparent = message.headers?.traceparent?.toString();
          const context = {
            topic: name(topic),
            partition,
            offset: message.offset,
            ...(traceparent ? { traceparent } : {}),
          };
          let heartbeatFailed: unknown;
          const keepAlive = async () => {
            try {
              await heartbeat();
            } catch (err) {
              heartbeatFailed = err;
              throw err;
            }
          };
          try {
            await listener({
              text: message.value?.toString('utf8') ?? '',
              key: message.key?.toString('utf8') ?? '',
              context,
              keepAlive,
            });
          } catch (err) {
            // A heartbeat refused during a rebalance: kafkajs's own, which it knows how to handle.
            if (err === heartbeatFailed) throw err;
            log.warn({ err, group, ...context }, 'listener failed; the message is delivered again');
            throw new ListenerFailed(`listener of ${group} failed on ${topic}/${partition}@${message.offset}`, {
              cause: err,
            });
          }
        },
      });
    },
    async ready() {
      probing ??= probe.connect().catch((e) => {
        probing = undefined; // the next check connects again
        throw e;
      });
      await probing;
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
    if (missing.length)
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      });
  } finally {
    await admin.disconnect();
  }
}
