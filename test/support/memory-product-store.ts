import { notFound, ShopError } from '../../platform/errors.ts';
import { memoryOutbox, type MemoryOutbox } from '../../platform/events/memory-outbox.ts';
import type { Product } from '../../functions/product/product.ts';
import type { ProductStore } from '../../functions/product/store.ts';

const byName = (a: Product, b: Product) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/**
 * An in-memory product store writing to an in-memory outbox, for fast tests: the shop never runs
 * on it (PostgreSQL or PGlite do), and it passes the ProductStore contract suite as they do.
 */
export function memoryProductStore(outbox: MemoryOutbox = memoryOutbox()): ProductStore {
  const products = new Map<string, Product>();
  const processed = new Set<string>();
  const copy = (p: Product | undefined) => (p ? structuredClone(p) : undefined);
  return {
    async list({ category, limit, offset }) {
      const all = [...products.values()].filter((p) => !category || p.category === category).sort(byName);
      return { products: all.slice(offset, offset + limit).map((p) => structuredClone(p)), total: all.length };
    },
    async get(id) {
      return copy(products.get(id));
    },
    async getMany(ids) {
      return ids.flatMap((id) => copy(products.get(id)) ?? []);
    },
    async insert(list) {
      for (const p of list) if (!products.has(p.id)) products.set(p.id, structuredClone(p));
    },
    async update(id, patch, now) {
      const p = products.get(id);
      if (!p) return undefined;
      Object.assign(p, structuredClone(patch), { updated_at: now });
      return copy(p);
    },
    async delete(id) {
      return products.delete(id);
    },
    async adjustStock(id, delta, now) {
      const p = products.get(id);
      if (!p) throw notFound('product', id);
      if (p.stock + delta < 0)
        throw new ShopError('insufficient_stock', `product ${id} has ${p.stock} in stock, cannot remove ${-delta}`);
      Object.assign(p, { stock: p.stock + delta, updated_at: now });
      return structuredClone(p);
    },
    async takeOrderStock(consumer, eventId, lines, now, rejected) {
      const key = `${consumer}\u0000${eventId}`;
      if (processed.has(key)) return { outcome: 'duplicate' };
      processed.add(key);
      for (const line of lines) {
        const available = products.get(line.product_id)?.stock ?? 0;
        if (available >= line.quantity) continue;
        const shortage = { product_id: line.product_id, available, requested: line.quantity };
        outbox.add([rejected(shortage)]);
        return { outcome: 'rejected', ...shortage };
      }
      for (const line of lines)
        Object.assign(products.get(line.product_id)!, {
          stock: products.get(line.product_id)!.stock - line.quantity,
          updated_at: now,
        });
      return { outcome: 'applied' };
    },
  };
}
