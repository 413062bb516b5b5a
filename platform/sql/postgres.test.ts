import { afterAll, describe, expect, it } from 'vitest';
import { infraUrls, requireInfra, uniqueName } from '../../test/support/infra.ts';
import { migrate } from './migrate.ts';
import { readMigrations } from './migration-files.ts';
import { openPostgres } from './postgres.ts';
import type { Sql } from './sql.ts';

describe('PostgreSQL connections', () => {
  it('fail at start with a message naming PostgreSQL, the URL and how to start it', async () => {
    await expect(openPostgres({ url: 'postgres://daprps:secret@127.0.0.1:1/daprps' })).rejects.toThrow(
      /PostgreSQL is unreachable at postgres:\/\/daprps:\*\*\*@127\.0\.0\.1:1\/daprps .*npm run infra:up/,
    );
  });
});

describe.runIf(await requireInfra('postgres'))('migrations on PostgreSQL', () => {
  const schema = uniqueName('mig');
  const pools: Sql[] = [];
  afterAll(async () => {
    await pools[0]?.exec(`drop schema if exists ${schema} cascade`);
    await Promise.all(pools.map((p) => p.close()));
  });

  it('are applied once when several processes start at the same time', async () => {
    for (let i = 0; i < 4; i++) pools.push(await openPostgres({ url: infraUrls.postgres, schema, max: 2 }));
    const applied = await Promise.all(pools.map((p) => migrate(p)));
    const versions = (await readMigrations()).map((m) => m.version);
    expect(versions).toContain('001_init.sql');
    expect(applied.flat()).toEqual(versions);
    expect(await pools[0]!.query('select version from schema_migrations order by version')).toEqual(
      versions.map((version) => ({ version })),
    );
  });
});
