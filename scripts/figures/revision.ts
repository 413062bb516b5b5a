import { git } from './git.ts';
import { type MeasuredSet, measuredPaths } from './measured-paths.ts';

/** The commit a run measured, and whether what it measures had changes not in it. */
export interface Revision {
  commit: string;
  dirty: boolean;
}

/** HEAD now, dirty when the measured paths of `set` differ from it (untracked files in them too). */
function read(set: MeasuredSet): Revision {
  try {
    const changed = git('status', '--porcelain', '--untracked-files=normal', '--', ...measuredPaths[set]);
    return { commit: git('rev-parse', 'HEAD'), dirty: changed !== '' };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

const started = new Map<MeasuredSet, Revision>();

/**
 * Call when a run starts: what it is about to measure. Read once per process and set, so a run
 * that lasts is stamped with the code it started on.
 */
export function startRevision(set: MeasuredSet): Revision {
  const known = started.get(set);
  if (known) return known;
  const r = read(set);
  started.set(set, r);
  return r;
}

/**
 * Call when a run's figures are written: the revision it started on, dirty as well when HEAD or
 * the measured code changed while it ran (its figures are then of no one commit).
 */
export function endRevision(set: MeasuredSet): Revision {
  const start = startRevision(set);
  const now = read(set);
  return { commit: start.commit, dirty: start.dirty || now.dirty || now.commit !== start.commit };
}

/** How a figure names what it measured, e.g. "commit 1a2b3c4" or "commit 1a2b3c4 with uncommitted changes". */
export const revisionText = (r: Revision) =>
  r.commit === 'unknown'
    ? 'an unknown commit (not a git checkout)'
    : `commit ${r.commit.slice(0, 7)}${r.dirty ? ' with uncommitted changes' : ''}`;
