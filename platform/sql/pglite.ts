import { PGlite } from '@electric-sql/pglite';
import { mkdir } from 'node:fs/promises';
import { lockFolder } from './folder-lock.ts';
import type { Sql, SqlQuery } from './sql.ts';

/**
 * Opens PGlite (Postgres in WASM) on `dataDir`, held by this process until closed (see lockFolder),
 * or in memory when no folder is given.
 */
export async function openPglite(dataDir?: string): Promise<Sql> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  // Two processes on one folder would each serve their own view, and one would lose its writes.
  const lock = dataDir ? await lockFolder(dataDir) : undefined;
  const db = await PGlite.create(dataDir).catch((e: unknown) => {
    lock?.release();
    throw e;
  });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): SqlQuery => ({
    query: async <R>(text: string, params?: unknown[]) => (await q.query<R>(text, params)).rows,
    exec: async (script) => void (await q.exec(script)),
  });
  return {
    ...wrap(db),
    async transaction(fn) {
      const committed: (() => void)[] = [];
      const result = await db.transaction((tx) => fn({ ...wrap(tx), afterCommit: (cb) => void committed.push(cb) }));
      for (const cb of committed) cb();
      return result;
    },
    async listen(channel, onChange) {
      // In process: never lost while the database is open.
      const unlisten = await db.listen(channel, () => onChange());
      return { live: true, close: () => unlisten() };
    },
    async close() {
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}
