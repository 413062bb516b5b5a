import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { toolsDir } from '../k8s/tools-dir.ts';

/**
 * compose-check (scripts/deploy/compose-check: the Compose specification's loader, pinned by its
 * go.sum), as `npm run tools:install` builds it; its path, or how to build it.
 */
export function composeCheckBuilt(): { ok: true; path: string } | { ok: false; message: string } {
  const path = join(toolsDir(), 'compose-check');
  return existsSync(path)
    ? { ok: true, path }
    : { ok: false, message: `compose-check is not built at ${path}: build it with "npm run tools:install"` };
}

/** A Compose file as the Compose specification's loader sees it: the loaded project, or the loader's errors. */
export type ComposeLoad = { ok: true; project: any } | { ok: false; errors: string };

/** Loads `file` with compose-check, interpolating from `env` only (nothing of this process's environment). */
export function loadCompose(binary: string, file: string, env: Record<string, string>): ComposeLoad {
  const run = spawnSync(binary, [file], { encoding: 'utf8', env });
  if (run.error) throw run.error;
  if (run.status === 0) return { ok: true, project: JSON.parse(run.stdout) };
  if (run.status === 1) return { ok: false, errors: run.stderr };
  throw new Error(`compose-check failed (${run.status}): ${run.stderr}`);
}
