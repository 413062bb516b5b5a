import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { toolsDir } from './tools-dir.ts';

/** A Knative Service as Knative's webhook judged it: its name, and what it refused (empty: admitted). */
export interface KnativeVerdict {
  name: string;
  errors?: string;
}

/**
 * Runs Knative Serving's own defaulting and validation (the webhook's, on create) over `objects`
 * with `knative-check` (scripts/k8s/knative-check, built by `npm run tools:install`); objects
 * that are not `serving.knative.dev/v1` Services are skipped.
 */
export function knativeCheck(objects: unknown[]): KnativeVerdict[] {
  const run = spawnSync(join(toolsDir(), 'knative-check'), { input: JSON.stringify(objects), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`knative-check failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as KnativeVerdict[];
}
