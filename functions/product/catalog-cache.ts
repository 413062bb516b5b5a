import { unchanging } from '../../platform/http/ready-json.ts';
import type { Listening, Sql } from '../../platform/sql/sql.ts';
import type { Product, ProductPage } from './product.ts';
import type { ProductStore } from './store.ts';

/** The product store with its catalog pages kept in memory, and the subscription to close. */
export type CachedProductStore = ProductStore & { close(): Promise<void> };

/**
 * Serves catalog pages (`list`) and products (`get`, `getMany`) from memory while the products
 * are unchanged; a page or product it hands out is answered as ready bytes with an ETag
 * (platform/http/ready-json.ts). Every change to
 * the products table, from any process, is announced on `products_changed` (a trigger, see
 * migration 003) and empties the cache; changes made through this store empty it at once, so a
 * process reads its own writes. Another process's change is seen once its notification arrives
 * (right after that commit). While the listening connection is lost, nothing is cached. A page
 * read while a change happened is not kept (it may predate the change). At most `maxEntries` pages
 * (a page per category, limit and offset asked) and as many products are kept.
 */
export async function withCatalogCache(
  store: ProductStore,
  sql: Pick<Sql, 'listen'>,
  maxEntries = 1_000,
): Promise<CachedProductStore> {
  const pages = new Map<string, ProductPage>();
  const items = new Map<string, Product | null>(); // null: known not to exist
  let generation = 0;
  const changed = () => {
    generation++;
    pages.clear();
    items.clear();
  };
  /** Runs a read; `keep` stores its result unless a change came meanwhile or nothing listens. */
  const read = async <R>(fn: () => Promise<R>, keep: (r: R) => void): Promise<R> => {
    const before = generation;
    const result = await fn();
    if (listening.live && before === generation) keep(result);
    return result;
  };
  const keepItem = (id: string, product: Product | null) => {
    if (items.size >= maxEntries) items.clear();
    items.set(id, product);
  };
  const listening: Listening = await sql.listen('products_changed', changed);
  const thenChanged = <R>(write: Promise<R>) => write.finally(changed);
  return {
    ...store,
    async list(query) {
      const key = `${query.category ?? ''}\u0000${query.limit}\u0000${query.offset}`;
      const cached = pages.get(key); // emptied when listening is lost, and not filled until it is back
      if (cached) return cached;
      return read(
        // Never changed once read (a change reads anew): its JSON and ETag are made once.
        () => store.list(query).then(unchanging),
        (page) => {
          if (pages.size >= maxEntries) pages.clear();
          pages.set(key, page);
        },
      );
    },
    async get(id) {
      const cached = items.get(id);
      if (cached !== undefined) return cached ?? undefined;
      return read(
        () => store.get(id).then((product) => product && unchanging(product)),
        (product) => keepItem(id, product ?? null),
      );
    },
    async getMany(ids) {
      const hits = ids.flatMap((id) => items.get(id) ?? []);
      const missing = ids.filter((id) => !items.has(id));
      if (!missing.length) return hits;
      const found = await read(
        () => store.getMany(missing),
        (products) => {
          for (const id of missing) keepItem(id, products.find((p) => p.id === id) ?? null);
        },
      );
      return [...hits, ...found];
    },
    insert: (products) => thenChanged(store.insert(products)),
    update: (id, patch, now) => thenChanged(store.update(id, patch, now)),
    delete: (id) => thenChanged(store.delete(id)),
    adjustStock: (id, delta, now) => thenChanged(store.adjustStock(id, delta, now)),
    takeOrderStock: (consumer, eventId, lines, now, rejected) =>
      thenChanged(store.takeOrderStock(consumer, eventId, lines, now, rejected)),
    close: () => listening.close(),
  };
}
