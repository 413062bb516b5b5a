import { ensurePgliteTemplate } from './support/pglite-template.ts';
import { clearRecorded } from './reliability/record-store.ts';
import { pruneTestTopics } from './support/prune-topics.ts';

/**
 * Runs once before all test files: reliability figures of earlier runs are cleared, and the Kafka
 * topics earlier test processes left behind are deleted.
 */
export default async function setup(): Promise<void> {
  await clearRecorded();
  await ensurePgliteTemplate();
  const pruned = await pruneTestTopics();
  if (pruned) console.log(`deleted ${pruned} Kafka topics left by earlier test runs`);
}
