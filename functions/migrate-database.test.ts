import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.ts';
import { openPostgres } from '../platform/sql/postgres.ts';
import { infraUrls, requireInfra, uniqueName } from '../test/support/infra.ts';
import { copyPgliteTemplate } from '../test/support/pglite-template.ts';
import { migrateDatabase } from './migrate-database.ts';
import { openDatabase, type Database } from './open-database.ts';
import { testLog } from '../test/support/test-log.ts';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const now = () => new Date().toISOString();
const NOT_MIGRATED =
  /the database is not migrated \(pending: 001_init\.sql, .*006_money_moves_once\.sql\); run the migrate Job/;

describe('migrations by a one-off run, functions that only check them (MIGRATE=false)', () => {
  it('refuses to serve an unmigrated database, and serves it once the migrate run applied every migration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'daprps-migrate-'));
    try {
      await copyPgliteTemplate(dir);
      const config = loadConfig({ DATA_DIR: dir, MIGRATE: 'false', LOG_LEVEL: 'silent' });
      await expect(openDatabase(config, testLog, now, { catalogCache: false })).rejects.toThrow(NOT_MIGRATED);
      // The migrate run ignores MIGRATE=false: migrating is all it does.
      await migrateDatabase(config, testLog);
      const db = await openDatabase(config, testLog, now, { catalogCache: true });
      expect((await db.products.list({ limit: 5, offset: 0 })).total).toBeGreaterThan(0);
      await db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(await requireInfra('postgres'))(
  'two PostgreSQL users, as knative/postgres-users.sql makes them (real PostgreSQL)',
  () => {
    const names = { database: uniqueName('mig_db'), owner: uniqueName('mig_owner'), app: uniqueName('mig_app') };
    const url = (user: string) => {
      const u = new URL(infraUrls.postgres);
      Object.assign(u, { username: user, password: `${user}-pw`, pathname: `/${names.database}` });
      return u.toString();
    };
    const open: Database[] = [];
    afterAll(async () => {
      await Promise.all(open.map((db) => db.close()));
      const admin = await openPostgres({ url: infraUrls.postgres });
      for (const statement of [
        `drop database if exists ${names.database} with (force)`,
        `drop role if exists ${names.owner}`,
        `drop role if exists ${names.app}`,
      ])
        await admin.exec(statement);
      await admin.close();
    });

    it('lets the owner migrate and the app only read and write rows, within its pool', async () => {
      const vars = { ...names, owner_password: `${names.owner}-pw`, app_password: `${names.app}-pw` };
      await run('psql', [
        infraUrls.postgres,
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        ...Object.entries(vars).flatMap(([k, v]) => ['-v', `${k}=${v}`]),
        '-f',
        join(root, 'knative/postgres-users.sql'),
      ]);
      const app = loadConfig({
        DATABASE_URL: url(names.app),
        MIGRATE: 'false',
        DATABASE_POOL_MAX: '2',
        LOG_LEVEL: 'silent',
      });
      await expect(openDatabase(app, testLog, now, { catalogCache: false })).rejects.toThrow(NOT_MIGRATED);
      // Nor can the app migrate by itself: it may not create tables.
      await expect(openDatabase({ ...app, migrate: true }, testLog, now, { catalogCache: false })).rejects.toThrow(
        /permission denied/,
      );

      await migrateDatabase(
        loadConfig({ DATABASE_URL: url(names.owner), SEED_DEMO: 'true', DATABASE_POOL_MAX: '1', LOG_LEVEL: 'silent' }),
        testLog,
      );
      const db = await openDatabase(app, testLog, now, { catalogCache: false });
      open.push(db);
      const page = await db.products.list({ limit: 1, offset: 0 });
      await db.products.adjustStock(page.products[0]!.id, 1, now());
      await expect(db.sql.exec('create table intruder (id int)')).rejects.toThrow(/permission denied/);
      await expect(db.sql.exec('drop table products')).rejects.toThrow(/must be owner/);

      // Six queries at once on a pool of two: never more than two connections of the app's.
      const admin = await openPostgres({ url: infraUrls.postgres });
      try {
        const busy = Promise.all(Array.from({ length: 6 }, () => db.sql.query('select pg_sleep(0.3)')));
        await new Promise((r) => setTimeout(r, 150));
        const [connections] = await admin.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where usename = $1',
          [names.app],
        );
        await busy;
        expect(connections?.n).toBe(2);
      } finally {
        await admin.close();
      }
    }, 30_000);
  },
);
