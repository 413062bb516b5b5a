import { notFound, ShopError } from '../../platform/errors.ts';
import { enqueue } from '../../platform/events/sql-outbox.ts';
import { markProcessed } from '../../platform/sql/processed-events.ts';
import type { Sql } from '../../platform/sql/sql.ts';
import type { Product } from './product.ts';
import type { ProductStore } from './store.ts';

interface Row {
  id: string;
  name: string;
  description: string;
  category: string;
  price_minor: number | string;
  currency: string;
  stock: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, description, category, price_minor, currency, stock, created_at, updated_at';

const toProduct = (r: Row): Product => ({
  id: r.id,
  name: r.name,
  description: r.description,
  category: r.category,
  price: { amount_minor: Number(r.price_minor), currency: r.currency },
  stock: r.stock,
  created_at: new Date(r.created_at).toISOString(),
  updated_at: new Date(r.updated_at).toISOString(),
});

/** The product store on SQL (PGlite or PostgreSQL). */
export function sqlProductStore(sql: Sql): ProductStore {
  return {
    async list({ category, limit, offset }) {
      // One round trip: the page, and the number of matches with every row (a window count);
      // only a page past the end needs a second query for the total.
      const where = category ? 'where category = $3' : '';
      const params = category ? [limit, offset, category] : [limit, offset];
      const rows = await sql.query<Row & { total: number }>(
        `select ${COLUMNS}, count(*) over ()::int as total from products ${where} order by name, id limit $1 offset $2`,
        params,
      );
      if (rows.length || offset === 0) return { products: rows.map(toProduct), total: rows[0]?.total ?? 0 };
      const count = await sql.query<{ n: number }>(
        `select count(*)::int as n from products ${category ? 'where category = $1' : ''}`,
        category ? [category] : [],
      );
      return { products: [], total: count[0]?.n ?? 0 };
    },
    async get(id) {
      const [row] = await sql.query<Row>(`select ${COLUMNS} from products where id = $1`, [id]);
      return row && toProduct(row);
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      return (await sql.query<Row>(`select ${COLUMNS} from products where id = any($1::text[])`, [ids])).map(toProduct);
    },
    async insert(products) {
      if (products.length === 0) return;
      await sql.query(
        `insert into products (${COLUMNS})
         select * from jsonb_to_recordset($1::jsonb) as p(id text, name text, description text, category text,
           price_minor bigint, currency text, stock int, created_at timestamptz, updated_at timestamptz)
         on conflict (id) do nothing`,
        [
          JSON.stringify(
            products.map((p) => ({ ...p, price_minor: p.price.amount_minor, currency: p.price.currency })),
          ),
        ],
      );
    },
    async update(id, patch, now) {
      const [row] = await sql.query<Row>(
        `update products set name = coalesce($2, name), description = coalesce($3, description),
           category = coalesce($4, category), price_minor = coalesce($5, price_minor), currency = coalesce($6, currency),
           updated_at = $7
         where id = $1 returning ${COLUMNS}`,
        [
          id,
          patch.name ?? null,
          patch.description ?? null,
          patch.category ?? null,
          patch.price?.amount_minor ?? null,
          patch.price?.currency ?? null,
          now,
        ],
      );
      return row && toProduct(row);
    },
    async delete(id) {
      return (await sql.query('delete from products where id = $1 returning id', [id])).length > 0;
    },
    async adjustStock(id, delta, now) {
      const [row] = await sql.query<Row>(
        `update products set stock = stock + $2, updated_at = $3 where id = $1 and stock + $2 >= 0 returning ${COLUMNS}`,
        [id, delta, now],
      );
      if (row) return toProduct(row);
      const current = await this.get(id);
      if (!current) throw notFound('product', id);
      throw new ShopError('insufficient_stock', `product ${id} has ${current.stock} in stock, cannot remove ${-delta}`);
    },
    async takeOrderStock(consumer, eventId, lines, now, rejected) {
      // The usual case in one round trip (migration 005); a shortage writes nothing there and is
      // handled below, where the rejection is queued in the same transaction as the mark.
      const [fast] = await sql.query<{ r: { outcome: 'applied' | 'duplicate' | 'short' } }>(
        'select take_order_stock($1, $2, $3::jsonb, $4) as r',
        [consumer, eventId, JSON.stringify(lines), now],
      );
      const outcome = fast?.r.outcome;
      if (outcome === 'applied' || outcome === 'duplicate') return { outcome };
      return sql.transaction(async (tx) => {
        if (!(await markProcessed(tx, consumer, eventId))) return { outcome: 'duplicate' } as const;
        const ids = lines.map((l) => l.product_id);
        const stock = await tx.query<{ id: string; stock: number }>(
          'select id, stock from products where id = any($1::text[]) order by id for update',
          [ids],
        );
        for (const line of lines) {
          const available = stock.find((s) => s.id === line.product_id)?.stock ?? 0;
          if (available >= line.quantity) continue;
          const shortage = { product_id: line.product_id, available, requested: line.quantity };
          await enqueue(tx, [rejected(shortage)]);
          return { outcome: 'rejected', ...shortage } as const;
        }
        await tx.query(
          `update products p set stock = p.stock - l.quantity, updated_at = $2
           from jsonb_to_recordset($1::jsonb) as l(product_id text, quantity int) where p.id = l.product_id`,
          [JSON.stringify(lines), now],
        );
        return { outcome: 'applied' } as const;
      });
    },
  };
}
