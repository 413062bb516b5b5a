import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where `scripts/tools/install.sh` puts kustomize, kubeconform, task and knative-check. */
export function toolsDir(env: Record<string, string | undefined> = process.env): string {
  return join(env.DAPRPS_CACHE_DIR ?? join(env.HOME ?? homedir(), '.cache/daprps'), 'tools/bin');
}
