import { link, open, unlink, writeFile } from 'node:fs/promises';
import type { ProcessIdentity } from './process-identity.ts';

/** A lock file as read: its bytes, inode and age, and its holder unless it cannot be parsed. */
export interface LockFile {
  raw: string;
  ino: number;
  ageMs: number;
  holder?: ProcessIdentity;
}

/** Reads a lock file (content and stat of the same inode); undefined when there is none. */
export async function readLock(file: string): Promise<LockFile | undefined> {
  const fh = await open(file, 'r').catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? undefined : Promise.reject(e),
  );
  if (!fh) return undefined;
  try {
    const [raw, st] = await Promise.all([fh.readFile('utf8'), fh.stat()]);
    return { raw, ino: st.ino, ageMs: Date.now() - st.mtimeMs, holder: parseHolder(raw) };
  } finally {
    await fh.close();
  }
}

/** The holder a lock file names; undefined when it is not one (torn, empty, foreign). */
function parseHolder(raw: string): ProcessIdentity | undefined {
  try {
    const h = JSON.parse(raw) as ProcessIdentity;
    return Number.isInteger(h?.pid) && h.pid > 0 && typeof h.host === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates `file` with `content` unless it exists; false when it does. Written whole to a file of
 * this process first and then hard-linked into place (link fails if the name exists: atomic), so
 * a reader never sees it empty or half written.
 */
export async function createExclusive(file: string, content: string): Promise<boolean> {
  const draft = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(draft, content, { flag: 'wx' });
  try {
    await link(draft, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(draft).catch(() => {});
  }
}
