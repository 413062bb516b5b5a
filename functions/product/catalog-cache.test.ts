import { describe, expect, it, vi } from 'vitest';
import { infraUrls, requireInfra } from '../../test/support/infra.ts';
import type { Listening, Sql } from '../../platform/sql/sql.ts';
import { usePostgres } from '../../test/support/use-postgres.ts';
import { openPostgres } from '../../platform/sql/postgres.ts';
import { aProduct } from '../../test/support/function-deps.ts';
import { withCatalogCache } from './catalog-cache.ts';
import { memoryProductStore } from './memory-store.ts';
import { sqlProductStore } from './sql-store.ts';
import type { ProductStore } from './store.ts';

/** A notification channel under the test's control. */
function fakeChannel() {
  let onChange = () => {};
  const state = { live: true };
  const listen: Sql['listen'] = async (_channel, fn) => {
    onChange = fn;
    return {
      get live() {
        return state.live;
      },
      close: async () => {},
    } satisfies Listening;
  };
  return {
    listen,
    notify: () => onChange(),
    setLive: (live: boolean) => {
      state.live = live;
      onChange();
    },
  };
}

/** A store counting the catalog reads that reach it. */
function counting(store: ProductStore) {
  const reads = { n: 0 };
  return {
    reads,
    store: {
      ...store,
      list: (q: Parameters<ProductStore['list']>[0]) => {
        reads.n++;
        return store.list(q);
      },
    },
  };
}

const page = { limit: 20, offset: 0 };

describe('the catalog cache', () => {
  it('serves a page again from memory until a change is announced', async () => {
    const inner = memoryProductStore();
    await inner.insert([aProduct({ id: 'mug' })]);
    const { reads, store } = counting(inner);
    const channel = fakeChannel();
    const cached = await withCatalogCache(store, channel);
    expect((await cached.list(page)).total).toBe(1);
    expect((await cached.list(page)).total).toBe(1);
    expect(reads.n).toBe(1);
    await cached.list({ ...page, category: 'kitchen' }); // another page
    expect(reads.n).toBe(2);
    await inner.insert([aProduct({ id: 'cup' })]); // behind its back: not seen until announced
    expect((await cached.list(page)).total).toBe(1);
    channel.notify();
    expect((await cached.list(page)).total).toBe(2);
    expect(reads.n).toBe(3);
  });

  it('reads its own writes at once, caches nothing while not listening, and keeps no page read during a change', async () => {
    const inner = memoryProductStore();
    const { reads, store } = counting(inner);
    const channel = fakeChannel();
    const cached = await withCatalogCache(store, channel);
    expect((await cached.list(page)).total).toBe(0);
    await cached.insert([aProduct({ id: 'mug', stock: 3 })]);
    expect((await cached.list(page)).total).toBe(1);
    await cached.adjustStock('mug', -1, 'now');
    expect((await cached.list(page)).products[0]!.stock).toBe(2);
    expect(reads.n).toBe(3);

    channel.setLive(false);
    await cached.list(page);
    await cached.list(page);
    expect(reads.n).toBe(5);
    channel.setLive(true);

    const during = cached.list(page);
    channel.notify(); // a change while the read is on its way
    await during;
    await cached.list(page);
    expect(reads.n).toBe(7);
  });
});

describe('the catalog cache, for products by id', () => {
  it('serves get and getMany from memory (absent ones too) until a change, and reads only what it lacks', async () => {
    const inner = memoryProductStore();
    await inner.insert([aProduct({ id: 'mug', stock: 3 }), aProduct({ id: 'cup' })]);
    const reads: string[][] = [];
    const store: ProductStore = {
      ...inner,
      get: (id) => {
        reads.push([id]);
        return inner.get(id);
      },
      getMany: (ids) => {
        reads.push(ids);
        return inner.getMany(ids);
      },
    };
    const channel = fakeChannel();
    const cached = await withCatalogCache(store, channel);
    expect((await cached.get('mug'))?.stock).toBe(3);
    expect(await cached.get('nope')).toBeUndefined();
    expect((await cached.getMany(['mug', 'cup', 'nope'])).map((p) => p.id).sort()).toEqual(['cup', 'mug']);
    expect((await cached.get('mug'))?.stock).toBe(3);
    expect(await cached.get('nope')).toBeUndefined();
    expect(reads).toEqual([['mug'], ['nope'], ['cup']]);
    await inner.adjustStock('mug', -1, 'now'); // behind its back
    expect((await cached.get('mug'))?.stock).toBe(3);
    channel.notify();
    expect((await cached.getMany(['mug']))[0]?.stock).toBe(2);
    await cached.adjustStock('mug', -1, 'now'); // its own write
    expect((await cached.get('mug'))?.stock).toBe(1);
  });
});

const hasPostgres = await requireInfra('postgres');
describe.runIf(hasPostgres)('the catalog cache on PostgreSQL', () => {
  const db = usePostgres(hasPostgres);

  it("sees another process's change once notified, and after its listening connection was cut", async () => {
    const writer = await db.fresh();
    await sqlProductStore(writer).insert([aProduct({ id: 'mug', stock: 5 })]);
    const schema = (await writer.query<{ s: string }>('select current_schema() as s'))[0]!.s;
    const reader = await openPostgres({ url: infraUrls.postgres, schema });
    const cached = await withCatalogCache(sqlProductStore(reader), reader);
    try {
      const stock = async () => (await cached.list(page)).products[0]!.stock;
      expect(await stock()).toBe(5);
      await writer.query("update products set stock = 4 where id = 'mug'");
      await vi.waitFor(async () => expect(await stock()).toBe(4), { timeout: 5_000 });

      // Cut the listening connection: nothing is cached until it listens again, and it does.
      const listeners = `from pg_stat_activity where application_name = 'daprps:${schema}' and query = 'listen products_changed'`;
      expect((await writer.query<{ n: number }>(`select count(*)::int as n ${listeners}`))[0]!.n).toBe(1);
      await writer.query(`select pg_terminate_backend(pid) ${listeners}`);
      await writer.query("update products set stock = 3 where id = 'mug'");
      await vi.waitFor(async () => expect(await stock()).toBe(3), { timeout: 5_000 });
      await vi.waitFor(
        async () => expect((await writer.query<{ n: number }>(`select count(*)::int as n ${listeners}`))[0]!.n).toBe(1),
        { timeout: 10_000 },
      );
      await stock(); // cached again
      await writer.query("update products set stock = 2 where id = 'mug'");
      await vi.waitFor(async () => expect(await stock()).toBe(2), { timeout: 5_000 });
    } finally {
      await cached.close();
      await reader.close();
    }
  }, 30_000);
});
