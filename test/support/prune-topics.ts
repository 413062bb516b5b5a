import { Kafka, logLevel } from 'kafkajs';
import { infraUrls } from './infra.ts';

/** A topic made for one test process (uniqueName: `<base>_<pid>_<random>`, alone or as a prefix), and that pid. */
const TEST_TOPIC = /^[a-z0-9-]+_(\d+)_[a-z0-9]{1,6}(?:\.|$)/;

/** Whether a process with this id runs (one of another user's answers EPERM: it does). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes the topics of the cluster at `brokers` that `doomed` picks; how many. Nothing happens
 * when Kafka is not reachable.
 */
export async function deleteTopics(brokers: string[], doomed: (topic: string) => boolean): Promise<number> {
  const admin = new Kafka({
    clientId: 'daprps-topic-cleanup',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
  } catch {
    return 0;
  }
  try {
    const topics = (await admin.listTopics()).filter(doomed);
    for (let i = 0; i < topics.length; i += 200)
      await admin.deleteTopics({ topics: topics.slice(i, i + 200), timeout: 60_000 });
    return topics.length;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Deletes the Kafka topics that test processes made and left behind once those processes are gone
 * (each test file on real Kafka makes topics of its own; thousands of them slowed every client
 * that reads the cluster's metadata, daprd's bindings among them). Topics of a process still
 * running, and every other topic, are kept.
 */
export const pruneTestTopics = (): Promise<number> =>
  deleteTopics([new URL(infraUrls.kafka).host], (topic) => {
    const pid = TEST_TOPIC.exec(topic)?.[1];
    return pid !== undefined && !alive(Number(pid));
  });
