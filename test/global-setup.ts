import { ensurePgliteTemplate } from './pglite-template.ts';

/** Runs once before all test files. */
export default async function setup(): Promise<void> {
  await ensurePgliteTemplate();
}
