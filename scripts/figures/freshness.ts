import { git } from './git.ts';
import type { Revision } from './revision.ts';

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
    git('merge-base', '--is-ancestor', measured.commit, 'HEAD');
  } catch {
    return `measured at ${short}, a commit this checkout does not have`;
  }
  try {
    git('diff', '--quiet', measured.commit, '--', ...paths);
  } catch {
    return `the code they measure changed since ${short}`;
  }
  // A new file not yet committed is a change as well.
  if (git('ls-files', '--others', '--exclude-standard', '--', ...paths))
    return `the code they measure changed since ${short}`;
  return undefined;
}

/** The mark published beside a set of figures: stale, with why, or current. */
export const freshnessMark = (what: string, measured: Revision | undefined, paths: readonly string[]): string => {
  const stale = staleness(measured, paths);
  return stale
    ? `**Stale:** ${what}: ${stale} (\`npm run figures:mark\` writes this line; a new run replaces them).`
    : `${what}: of the code as it is (measured at ${measured!.commit.slice(0, 7)}; \`npm run figures:mark\` writes this line).`;
};
