import { ensurePgliteTemplate } from './support/pglite-template.ts';
import { clearRecorded } from './reliability/record-store.ts';

/** Runs once before all test files: reliability figures of earlier runs are cleared. */
export default async function setup(): Promise<void> {
  await clearRecorded();
  await ensurePgliteTemplate();
}
