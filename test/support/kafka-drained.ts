import { Kafka, logLevel, type Admin } from 'kafkajs';
import { expect, vi } from 'vitest';

/** Whether every consumer group has committed every message of the topic so far (its offset is at the topic's end). */
async function drained(admin: Admin, topic: string, groups: string[]): Promise<boolean> {
  const ends = await admin.fetchTopicOffsets(topic);
  for (const groupId of groups) {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const at = new Map(committed!.partitions.map((p) => [p.partition, Number(p.offset)]));
    if (!ends.every((e) => Number(e.high) === 0 || at.get(e.partition) === Number(e.high))) return false;
  }
  return true;
}

/**
 * Waits until every consumer group has committed every message of `topic` so far: whatever they
 * do with those messages is done. One admin connection for the whole wait, not one per poll.
 */
export async function waitDrained(
  brokers: string[],
  topic: string,
  groups: string[],
  timeout = 30_000,
  interval = 100,
): Promise<void> {
  const admin = new Kafka({ clientId: 'daprps-test', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await vi.waitFor(
      async () =>
        expect(await drained(admin, topic, groups), `${groups.join(', ')} past every message of ${topic}`).toBe(true),
      { timeout, interval },
    );
  } finally {
    await admin.disconnect();
  }
}
