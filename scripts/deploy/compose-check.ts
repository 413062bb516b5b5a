import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { toolsDir } from '../k8s/tools-dir.ts';

const source = new URL('compose-check', import.meta.url).pathname;

/**
 * compose-check (scripts/deploy/compose-check: the Compose specification's loader, pinned by its
 * go.sum), built with Go once per version of its sources into the tools cache; its path, or why
 * it cannot be built.
 */
export function composeCheckBuilt(): { ok: true; path: string } | { ok: false; message: string } {
  const id = createHash('sha256').update(['go.mod', 'go.sum', 'main.go'].map((f) => readFileSync(join(source, f), 'utf8')).join('\0')).digest('hex').slice(0, 12);
  const dir = join(toolsDir(), '..', `compose-check-${id}`);
  const path = join(dir, 'compose-check');
  if (existsSync(path)) return { ok: true, path };
  mkdirSync(dir, { recursive: true });
  const build = spawnSync('go', ['build', '-trimpath', '-o', `${path}.partial`, '.'], {
    cwd: source, encoding: 'utf8', env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
  });
  if (build.error || build.status !== 0) return { ok: false, message: `compose-check could not be built with Go (is Go installed?): ${build.error?.message ?? build.stderr}` };
  renameSync(`${path}.partial`, path);
  return { ok: true, path };
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
