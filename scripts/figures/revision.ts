import { execFileSync } from 'node:child_process';

/** The commit a run measured, and whether the tree had changes not in it. */
export interface Revision {
  commit: string;
  dirty: boolean;
}

const root = new URL('../..', import.meta.url).pathname;
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/**
 * The checkout's revision, read once per process: HEAD, dirty when tracked files differ from it
 * (untracked files count too: a new source file is part of what ran). Not a git checkout: commit
 * "unknown".
 */
export const revision: () => Revision = (() => {
  let read: Revision | undefined;
  return () => {
    if (read) return read;
    try {
      read = {
        commit: git('rev-parse', 'HEAD'),
        dirty: git('status', '--porcelain', '--untracked-files=normal') !== '',
      };
    } catch {
      read = { commit: 'unknown', dirty: false };
    }
    return read;
  };
})();

/** How a figure names what it measured, e.g. "commit 1a2b3c4" or "commit 1a2b3c4 with uncommitted changes". */
export const revisionText = (r: Revision) =>
  r.commit === 'unknown'
    ? 'an unknown commit (not a git checkout)'
    : `commit ${r.commit.slice(0, 7)}${r.dirty ? ' with uncommitted changes' : ''}`;
