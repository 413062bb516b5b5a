import { readFileSync, unlinkSync } from 'node:fs';
import { realpath, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createExclusive, readLock, type LockFile } from './lock-file.ts';
import { stillRuns, thisProcess } from './process-identity.ts';

/** Refusal to open a data folder that another process, or this one, holds. */
export class FolderInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FolderInUseError';
  }
}

/** A data folder held by this process until `release` (synchronous; a second call does nothing). */
export interface FolderLock {
  /** The lock file, beside the folder (never inside: PGlite wants the folder empty or its own). */
  readonly file: string;
  release(): void;
}

/** How long to wait before judging a lock file left behind; the defaults suit a process start. */
export interface LockOptions {
  /** An unreadable lock file younger than this may be mid-write (refused); older, it is taken over. */
  corruptAfterMs?: number;
  /** A takeover marker older than this was left by a process that died while taking over. */
  breakerStaleAfterMs?: number;
}

/** The lock files this process holds, each with the content it wrote; one object per lock taken. */
const held = new Map<string, { content: string }>();
// The backstop: whatever is still held when the process exits (process.exit, the end of the event loop).
process.on('exit', releaseAll);

/**
 * Takes `<dir>.lock` for the existing folder `dir`, or throws FolderInUseError naming who holds it.
 * A lock whose process no longer runs on this host (or whose pid now belongs to another process)
 * is taken over; when several processes race for it, exactly one wins.
 */
export async function lockFolder(dir: string, opts: LockOptions = {}): Promise<FolderLock> {
  const { corruptAfterMs = 5_000, breakerStaleAfterMs = 10_000 } = opts;
  const file = `${await realpath(dir)}.lock`;
  const content = JSON.stringify(thisProcess());
  const deadline = Date.now() + 2 * breakerStaleAfterMs;
  while (Date.now() < deadline) {
    if (await createExclusive(file, content)) return hold(file, content);
    const found = await readLock(file);
    if (!found) continue; // released in the meantime
    const refused = refusal(resolve(dir), file, found, corruptAfterMs);
    if (refused) throw new FolderInUseError(refused);
    await breakStale(file, found, breakerStaleAfterMs);
  }
  throw new Error(`could not take ${file}: other processes keep taking it over`);
}

/** Why `found` keeps this process out of the folder; undefined when it is stale. */
function refusal(shown: string, file: string, found: LockFile, corruptAfterMs: number): string | undefined {
  const h = found.holder;
  if (!h) {
    if (found.ageMs >= corruptAfterMs) return undefined;
    return `data folder ${shown} has a lock file ${file} that cannot be read (a process may be writing it): try again, or remove it if no process uses the folder`;
  }
  const who = `data folder ${shown} is in use by process ${h.pid} (${h.command})`;
  if (h.host !== hostname()) {
    return `${who} on host ${h.host} since ${h.since}, which cannot be checked from ${hostname()}: stop it, or give this one another DATA_DIR (if it is gone, remove ${file})`;
  }
  if (!stillRuns(h)) return undefined;
  if (h.pid === process.pid)
    return `${who} since ${h.since} (this very process, which opened it already): close it first, or give this one another DATA_DIR`;
  return `${who} since ${h.since}: stop it, or give this one another DATA_DIR`;
}

/**
 * Removes the stale lock `found`. Two processes that both judged it stale must not both remove
 * "it" (the second would remove the first's fresh lock), so only the one that creates
 * `<lock>.break` may, and only while the lock is still `found`; everyone then races to create
 * the lock again, which exactly one wins. A marker left by a process killed within those few
 * milliseconds is removed once old.
 */
async function breakStale(file: string, found: LockFile, staleAfterMs: number): Promise<void> {
  const breaker = `${file}.break`;
  if (!(await createExclusive(breaker, String(process.pid)))) {
    const other = await readLock(breaker);
    if (other && other.ageMs > staleAfterMs) await unlink(breaker).catch(() => {});
    await sleep(10 + Math.random() * 20);
    return;
  }
  try {
    const now = await readLock(file);
    if (now && now.ino === found.ino && now.raw === found.raw) await unlink(file);
  } finally {
    await unlink(breaker).catch(() => {});
  }
}

function hold(file: string, content: string): FolderLock {
  const mine = { content };
  held.set(file, mine);
  return { file, release: () => release(file, mine) };
}

/** Removes the lock file if this handle still holds it (synchronous: also runs on exit). */
function release(file: string, mine: { content: string }): void {
  if (held.get(file) !== mine) return;
  held.delete(file);
  try {
    if (readFileSync(file, 'utf8') === mine.content) unlinkSync(file);
  } catch {
    // Gone already: nothing to release.
  }
}

function releaseAll(): void {
  for (const [file, mine] of held) release(file, mine);
}
