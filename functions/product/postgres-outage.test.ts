import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../platform/sql/migrate.ts';
import { openPostgres } from '../../platform/sql/postgres.ts';
import { privatePostgres, type PrivatePostgres } from '../../test/support/private-postgres.ts';
import type { Sql } from '../../platform/sql/sql.ts';
import { freePort, requireInfra } from '../../test/support/infra.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { testApp } from '../../test/support/function-app.ts';
import { sqlProductStore } from './sql-store.ts';

describe.runIf(await requireInfra('postgres'))('products while PostgreSQL goes down and comes back', () => {
  let pg: PrivatePostgres | undefined;
  let sql: Sql | undefined;
  afterAll(async () => {
    await sql?.close();
    await pg?.remove();
  });

  it('answers 503 with a clear error while the database is down, and recovers when it is back', async () => {
    pg = await privatePostgres(await freePort());
    sql = await openPostgres({ url: pg.url, max: 2 });
    await migrate(sql);
    const deps = testDeps({ products: sqlProductStore(sql) });
    await deps.products.insert([aProduct()]);
    const app = testApp(['get-product', 'list-products'], deps);
    expect((await app.request('GET', '/api/v1/products/mug')).status).toBe(200);

    await pg.stop();
    const down = await app.request('GET', '/api/v1/products/mug');
    expect(down).toMatchObject({
      status: 503,
      body: { error: { code: 'unavailable', message: 'the database is unavailable; retry shortly' } },
    });
    expect((await app.request('GET', '/api/v1/products')).status).toBe(503);

    await pg.start();
    let back = await app.request('GET', '/api/v1/products/mug');
    for (let i = 0; i < 50 && back.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      back = await app.request('GET', '/api/v1/products/mug');
    }
    expect(back).toMatchObject({ status: 200, body: { id: 'mug' } });
  }, 60_000);
});
