import { Kafka, logLevel } from 'kafkajs';
import type { CloudEvent } from '../../platform/define.ts';
import type { DeadLetter } from '../../platform/events/dead-letter.ts';
import { parseCloudEvent } from '../../platform/events/parse-event.ts';
import { eventData } from './topics.ts';

/** Where the dead-letter topic is: Kafka brokers and the run's topic prefix. */
export interface DeadLetterTopic {
  brokers: string[];
  prefix: string;
}

const kafkaOf = (t: DeadLetterTopic, clientId: string) => new Kafka({ clientId, brokers: t.brokers, logLevel: logLevel.NOTHING });

/** Every dead letter on the topic so far, oldest first per partition, by reading it to its end with a throwaway group. */
export async function readDeadLetters(t: DeadLetterTopic, timeoutMs = 30_000): Promise<DeadLetter[]> {
  const topic = `${t.prefix}dead-letters`;
  const kafka = kafkaOf(t, 'daprps-dlq');
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `daprps-dlq-reader-${process.pid}-${Date.now()}`;
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    const waiting = new Set([...ends].filter(([, high]) => high > 0).map(([p]) => p));
    const letters: DeadLetter[] = [];
    if (waiting.size === 0) return letters;
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`read ${topic} for ${timeoutMs} ms without reaching its end`)), timeoutMs);
        void consumer.run({
          eachMessage: async ({ partition, message }) => {
            const event = JSON.parse(message.value?.toString('utf8') ?? '') as CloudEvent;
            letters.push(eventData('dead-letters', event) as DeadLetter);
            if (Number(message.offset) + 1 >= ends.get(partition)!) waiting.delete(partition);
            if (waiting.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        }).catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return letters.sort((a, b) => a.dead_at.localeCompare(b.dead_at));
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * Publishes dead letters' messages to their topics again, as received and with their key; the
 * handlers apply each event id once, so a replay only changes what had not been applied.
 * Letters whose payload is no CloudEvent cannot be replayed and are returned apart.
 */
export async function replayDeadLetters(t: DeadLetterTopic, letters: DeadLetter[]): Promise<{ replayed: DeadLetter[]; unreadable: DeadLetter[] }> {
  const readable = (d: DeadLetter) => parseCloudEvent(d.payload) !== undefined;
  const replayed = letters.filter(readable);
  const producer = kafkaOf(t, 'daprps-dlq-replay').producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const d of replayed) {
      await producer.send({ topic: `${t.prefix}${d.topic}`, acks: -1, messages: [{ key: d.key || null, value: d.payload, headers: { 'content-type': 'application/cloudevents+json' } }] });
    }
  } finally {
    await producer.disconnect();
  }
  return { replayed, unreadable: letters.filter((d) => !readable(d)) };
}
