import pg from 'pg';
import { ShopError } from '../errors.ts';
import { oneWriteSocket } from './one-write-socket.ts';
import { pgListen } from './pg-listen.ts';
import type { Sql, SqlQuery } from './sql.ts';

/** Where to connect, and optionally the schema to work in (tests use one per file). */
export interface PostgresOptions {
  url: string;
  schema?: string;
  max?: number;
}

/** SQLSTATE classes that mean the database, not the query, is the problem. */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)/;

/** Wraps connection failures as `unavailable` (503); query errors pass through unchanged. */
export function asUnavailable(e: unknown): unknown {
  const code = (e as { code?: string }).code ?? '';
  const isServerError = /^[0-9A-Z]{5}$/.test(code);
  if (e instanceof ShopError || (isServerError && !UNAVAILABLE_SQLSTATE.test(code))) return e;
  return new ShopError('unavailable', 'the database is unavailable; retry shortly', undefined, { cause: e });
}

/** Opens a pool on PostgreSQL through `pg`; fails with a clear message when it cannot connect. */
export async function openPostgres(opts: PostgresOptions): Promise<Sql> {
  const connection = {
    connectionString: opts.url,
    connectionTimeoutMillis: 5_000,
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
    // Names our connections in pg_stat_activity (and which schema they work in).
    application_name: `daprps:${opts.schema ?? 'public'}`.slice(0, 63),
    // One system call per query instead of one per protocol message (one-write-socket.ts).
    stream: oneWriteSocket,
  };
  const pool = new pg.Pool({ ...connection, max: opts.max ?? 10 });
  pool.on('error', () => {}); // idle client errors resurface on the next query
  const wrap = (q: pg.Pool | pg.PoolClient): SqlQuery => ({
    query: async <R>(text: string, params?: unknown[]) => {
      try {
        return (await q.query(text, params)).rows as R[];
      } catch (e) {
        throw asUnavailable(e);
      }
    },
    exec: async (script) => {
      try {
        await q.query(script);
      } catch (e) {
        throw asUnavailable(e);
      }
    },
  });
  try {
    // Two processes creating the same schema at once may race to a unique violation: harmless.
    if (opts.schema)
      await pool
        .query(`create schema if not exists ${opts.schema}`)
        .catch((e) => ['23505', '42P06'].includes(e.code) || Promise.reject(e));
    else await pool.query('select 1');
  } catch (e) {
    await pool.end();
    throw new Error(
      `PostgreSQL is unreachable at ${redact(opts.url)} (${(e as Error).message}); start it with "npm run infra:up" or fix DATABASE_URL`,
      { cause: e },
    );
  }
  return {
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect().catch((e) => Promise.reject(asUnavailable(e)));
      const run = (text: string) => client.query(text).catch((e) => Promise.reject(asUnavailable(e)));
      const committed: (() => void)[] = [];
      try {
        await run('begin');
        // Its queries' errors are mapped already; others pass as they are.
        const result = await fn({ ...wrap(client), afterCommit: (cb) => void committed.push(cb) });
        await run('commit');
        for (const cb of committed) cb();
        return result;
      } catch (e) {
        await client.query('rollback').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    listen: (channel, onChange) => pgListen(connection, channel, onChange),
    close: () => pool.end(),
  };
}

/** The URL without its password, for messages. */
export const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
