import { Kafka, logLevel } from 'kafkajs';

/** Whether every consumer group has committed every message of the topic so far (its offset is at the topic's end). */
export async function drained(brokers: string[], topic: string, groups: string[]): Promise<boolean> {
  const admin = new Kafka({ clientId: 'daprps-test', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const groupId of groups) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const at = new Map(committed!.partitions.map((p) => [p.partition, Number(p.offset)]));
      if (!ends.every((e) => Number(e.high) === 0 || at.get(e.partition) === Number(e.high))) return false;
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}
