import { Kafka, logLevel } from 'kafkajs';
import * as v from 'valibot';
import type { DeadLetter } from '../../platform/events/attempts.ts';
import { readCloudEvent } from '../../platform/events/cloud-event.ts';
import { replayable, type Replayable } from './replayable-letters.ts';
import { eventData } from './topics.ts';

/** Where the dead-letter topic is: Kafka brokers and the run's topic prefix. */
export interface DeadLetterTopic {
  brokers: string[];
  prefix: string;
}

const kafkaOf = (t: DeadLetterTopic, clientId: string) =>
  new Kafka({ clientId, brokers: t.brokers, logLevel: logLevel.NOTHING });

/** A dead letter as the `DeadLetter` message's JSON (every field present). */
const deadLetter = v.object({
  topic: v.string(),
  handler: v.string(),
  reason: v.string(),
  attempts: v.number(),
  event_id: v.string(),
  key: v.string(),
  payload: v.string(),
  dead_at: v.string(),
});

/** Something on the dead-letter topic that is no dead letter: where it is and why. */
export interface NotALetter {
  partition: number;
  offset: string;
  reason: string;
}

/**
 * A message of the dead-letter topic as a dead letter: a CloudEvent (cloud-event.ts) of the
 * `dead-letters` type whose data is one; or why it is not.
 */
export function readDeadLetter(text: string): { letter: DeadLetter } | { reason: string } {
  const read = readCloudEvent(text);
  if ('reason' in read) return read;
  try {
    const data = v.safeParse(deadLetter, eventData('dead-letters', read.event));
    return data.success ? { letter: data.output } : { reason: `not a dead letter: ${data.issues[0].message}` };
  } catch (err) {
    return { reason: `not a dead letter: ${(err as Error).message}` };
  }
}

/**
 * Every dead letter on the topic so far, oldest first, by reading it to its end with a throwaway
 * group; what is on it but no dead letter is returned apart.
 */
export async function readDeadLetters(
  t: DeadLetterTopic,
  timeoutMs = 30_000,
): Promise<{ letters: DeadLetter[]; unreadable: NotALetter[] }> {
  const topic = `${t.prefix}dead-letters`;
  const kafka = kafkaOf(t, 'daprps-dlq');
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `daprps-dlq-reader-${process.pid}-${Date.now()}`;
  try {
    if (!(await admin.listTopics()).includes(topic)) return { letters: [], unreadable: [] };
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    const waiting = new Set([...ends].filter(([, high]) => high > 0).map(([p]) => p));
    const letters: DeadLetter[] = [];
    const unreadable: NotALetter[] = [];
    if (waiting.size === 0) return { letters, unreadable };
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`read ${topic} for ${timeoutMs} ms without reaching its end`)),
          timeoutMs,
        );
        void consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              const read = readDeadLetter(message.value?.toString('utf8') ?? '');
              if ('letter' in read) letters.push(read.letter);
              else unreadable.push({ partition, offset: message.offset, reason: read.reason });
              if (Number(message.offset) + 1 >= ends.get(partition)!) waiting.delete(partition);
              if (waiting.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return { letters: letters.sort((a, b) => a.dead_at.localeCompare(b.dead_at)), unreadable };
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * Publishes dead letters' messages to their topics again, as received and with their key; the
 * handlers apply each event id once, so a replay only changes what had not been applied.
 * Letters whose payload is no CloudEvent, or whose event is outside the replay window at `now`,
 * cannot be replayed and are returned apart, unpublished.
 */
export async function replayDeadLetters(
  t: DeadLetterTopic,
  letters: DeadLetter[],
  now: number,
): Promise<{ replayed: DeadLetter[] } & Omit<Replayable, 'replayable'>> {
  const { replayable: replayed, unreadable, outside } = replayable(letters, now);
  const producer = kafkaOf(t, 'daprps-dlq-replay').producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const d of replayed) {
      await producer.send({
        topic: `${t.prefix}${d.topic}`,
        acks: -1,
        messages: [
          { key: d.key || null, value: d.payload, headers: { 'content-type': 'application/cloudevents+json' } },
        ],
      });
    }
  } finally {
    await producer.disconnect();
  }
  return { replayed, unreadable, outside };
}
