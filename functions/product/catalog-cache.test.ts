import { describe, expect, it, vi } from 'vitest';
import { infraUrls, requireInfra } from '../../test/support/infra.ts';
import type { Listening, Sql } from '../../platform/sql/sql.ts';
import { usePostgres } from '../../test/support/use-postgres.ts';
import { openPostgres } from '../../platform/sql/postgres.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { asAdmin, testApp } from '../../test/support/function-app.ts';
import { withCatalogCache } from './catalog-cache.ts';
import { memoryProductStore } from '../../test/support/memory-product-store.ts';
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

describe('catalog answers over REST: ready bytes with an ETag', () => {
  /** list-products, get-product and update-product over a cached memory store. */
  async function shop() {
    const inner = memoryProductStore();
    await inner.insert([aProduct({ id: 'mug', stock: 3 }), aProduct({ id: 'cup', name: 'Cup' })]);
    const channel = fakeChannel();
    const deps = testDeps({ products: await withCatalogCache(inner, channel) });
    const app = testApp(['list-products', 'get-product', 'update-product', 'add-to-basket'], deps);
    const get = (path: string, headers: Record<string, string> = {}) => app.request('GET', path, undefined, headers);
    return { inner, channel, app, get };
  }

  it('answers a page and a product with an ETag, and 304 to a client that holds it', async () => {
    const { app, get } = await shop();
    for (const path of ['/api/v1/products?limit=20', '/api/v1/products/mug']) {
      const first = await get(path);
      const etag = first.headers.get('etag')!;
      expect(etag, path).toMatch(/^"[\w-]{27}"$/);
      expect((await get(path)).body, path).toEqual(first.body);
      for (const held of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const again = await get(path, { 'if-none-match': held });
        expect(again.status, held).toBe(304);
        expect(again.body).toBeUndefined();
        expect(again.headers.get('etag')).toBe(etag);
        expect(again.headers.get('x-frame-options')).toBe('DENY');
        expect(again.headers.get('x-request-id')).toBeTruthy();
      }
      expect((await get(path, { 'if-none-match': '"other"' })).status).toBe(200);
      const head = await app.request('HEAD', path, undefined, { 'if-none-match': etag });
      expect([head.status, head.headers.get('etag')]).toEqual([304, etag]);
    }
    expect((await get('/api/v1/products?limit=1')).headers.get('etag')).not.toBe(
      (await get('/api/v1/products?limit=20')).headers.get('etag'),
    );
  });

  it('changes the ETag when a product changes, here or in another process, and only then', async () => {
    const { inner, channel, app, get } = await shop();
    const etag = async (path: string) => (await get(path)).headers.get('etag')!;
    const page = '/api/v1/products?limit=20';
    const before = { page: await etag(page), mug: await etag('/api/v1/products/mug') };

    channel.notify(); // a change that left the bytes as they were: the same ETag
    expect(await etag(page)).toBe(before.page);

    // A write through this process.
    const renamed = await app.request('PUT', '/api/v1/products/mug', { name: 'Big mug' }, asAdmin);
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get('etag')).toBeNull(); // a write's answer is not a cached page
    const after = await get(page, { 'if-none-match': before.page });
    expect(after.status).toBe(200);
    expect(after.body.products.map((p: { name: string }) => p.name)).toContain('Big mug');
    expect(after.headers.get('etag')).not.toBe(before.page);
    expect((await get('/api/v1/products/mug', { 'if-none-match': before.mug })).status).toBe(200);

    // Another process's write, seen once announced.
    const seen = await etag(page);
    await inner.adjustStock('cup', -1, '2026-01-16T00:00:00.000Z');
    expect((await get(page, { 'if-none-match': seen })).status).toBe(304); // not announced yet
    channel.notify();
    const fresh = await get(page, { 'if-none-match': seen });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).not.toBe(seen);
  });

  it('puts no ETag on what is not a cached read', async () => {
    const { app, get } = await shop();
    const add = await app.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 1 });
    expect(add.status).toBe(200);
    expect(add.headers.get('etag')).toBeNull();
    const plain = testApp(['list-products']); // a store without the cache
    expect((await plain.request('GET', '/api/v1/products')).headers.get('etag')).toBeNull();
    expect((await get('/api/v1/products/nope')).headers.get('etag')).toBeNull();
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
