import { execFileSync } from 'node:child_process';
import type { Revision } from './revision.ts';

const root = new URL('../..', import.meta.url).pathname;

/** What the benchmark and the reliability suites measure besides their own folders: the runtime and its dependencies. */
const runtime = ['functions', 'gateway', 'platform', 'components', 'package-lock.json'];

/** The paths each published set of figures measures: a change there since their commit makes them stale. */
export const measuredPaths = {
  bench: [...runtime, 'scripts/bench', 'scripts/build', 'scripts/build.ts', 'scripts/dapr'],
  reliability: [...runtime, 'test/reliability', 'scripts/dapr'],
} as const;

/**
 * Why figures measured at `measured` no longer describe the code as it is in this checkout, or
 * undefined when they still do. Compared with the working tree (what is about to be committed
 * counts), so a mark written before a commit is still true after it.
 */
export function staleness(measured: Revision | undefined, paths: readonly string[]): string | undefined {
  if (!measured || measured.commit === 'unknown') return 'not stamped with the commit they measured';
  const short = measured.commit.slice(0, 7);
  if (measured.dirty) return `measured at ${short} with uncommitted changes`;
  try {
    execFileSync('git', ['diff', '--quiet', measured.commit, '--', ...paths], { cwd: root, stdio: 'ignore' });
    return undefined;
  } catch (e) {
    if ((e as { status?: number }).status === 1) return `the code they measure changed since ${short}`;
    return `measured at ${short}, a commit this checkout does not have`;
  }
}

/** The mark published beside a set of figures: stale, with why, or current. */
export const freshnessMark = (what: string, measured: Revision | undefined, paths: readonly string[]): string => {
  const stale = staleness(measured, paths);
  return stale
    ? `**Stale:** ${what}: ${stale} (\`npm run figures:mark\` writes this line; a new run replaces them).`
    : `${what}: of the code as it is (measured at ${measured!.commit.slice(0, 7)}; \`npm run figures:mark\` writes this line).`;
};
