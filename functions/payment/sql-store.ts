import { notFound } from '../../platform/errors.ts';
import type { OutboxEvent } from '../../platform/events/outbox.ts';
import type { Sql, SqlQuery } from '../../platform/sql/sql.ts';
import type { LineItem } from '../basket/price.ts';
import type { Payment, PaymentStatus } from './payment.ts';
import { statusAfterRefund } from './refund-rules.ts';
import type { PaymentStore } from './store.ts';

interface Row {
  id: string;
  order_id: string;
  user_id: string;
  status: PaymentStatus;
  amount_minor: number | string;
  currency: string;
  refunded_minor: number | string;
  items: LineItem[] | string;
  card_brand: string;
  card_last4: string;
  failure_reason: string;
  created_at: Date;
  request_hash: string | null;
}

const toPayment = (r: Row): Payment => ({
  id: r.id,
  order_id: r.order_id,
  user_id: r.user_id,
  status: r.status,
  amount: { amount_minor: Number(r.amount_minor), currency: r.currency },
  items: typeof r.items === 'string' ? JSON.parse(r.items) : r.items,
  card: { brand: r.card_brand, last4: r.card_last4 },
  refunded: { amount_minor: Number(r.refunded_minor), currency: r.currency },
  created_at: new Date(r.created_at).toISOString(),
  failure_reason: r.failure_reason,
});

const enqueue = (tx: SqlQuery, events: OutboxEvent[]) =>
  Promise.all(events.map((e) => tx.query('insert into outbox (event_id, topic, key, event) values ($1, $2, $3, $4)', [e.event.id, e.topic, e.key, JSON.stringify(e.event)])));

/** The advisory lock key of the outbox relay. */
const OUTBOX_LOCK = 0x0d_a7_b0_c5;

/** The oldest unpublished outbox events, in write order. */
async function pending(q: SqlQuery, limit: number): Promise<OutboxEvent[]> {
  const rows = await q.query<{ topic: string; key: string; event: OutboxEvent['event'] | string }>(
    'select topic, key, event from outbox where published_at is null order by seq limit $1',
    [limit],
  );
  return rows.map((r) => ({ topic: r.topic, key: r.key, event: typeof r.event === 'string' ? JSON.parse(r.event) : r.event }));
}

/** The payment store and its outbox on SQL (PGlite or PostgreSQL). */
export function sqlPaymentStore(sql: Sql): PaymentStore {
  const byKey = async (q: SqlQuery, userId: string, key: string) => {
    const [row] = await q.query<Row>('select * from payments where user_id = $1 and idempotency_key = $2', [userId, key]);
    return row && { payment: toPayment(row), requestHash: row.request_hash ?? '' };
  };
  return {
    async get(id) {
      const [row] = await sql.query<Row>('select * from payments where id = $1', [id]);
      return row && toPayment(row);
    },
    findByKey: (userId, key) => byKey(sql, userId, key),
    async begin(p, key) {
      const inserted = await sql.query(
        `insert into payments (id, order_id, user_id, status, amount_minor, currency, items, card_brand, card_last4,
           idempotency_key, request_hash, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
         on conflict (user_id, idempotency_key) where idempotency_key is not null do nothing returning id`,
        [p.id, p.order_id, p.user_id, p.status, p.amount.amount_minor, p.amount.currency, JSON.stringify(p.items),
          p.card.brand, p.card.last4, key?.key ?? null, key?.requestHash ?? null, p.created_at],
      );
      return inserted.length ? undefined : byKey(sql, p.user_id, key!.key);
    },
    async finish(p, events) {
      await sql.transaction(async (tx) => {
        await tx.query('update payments set status = $2, failure_reason = $3, updated_at = now() where id = $1', [p.id, p.status, p.failure_reason]);
        await enqueue(tx, events);
      });
    },
    async refund(id, amountMinor, now, event) {
      return sql.transaction(async (tx) => {
        const [row] = await tx.query<Row>('select * from payments where id = $1 for update', [id]);
        if (!row) throw notFound('payment', id);
        const before = toPayment(row);
        const status = statusAfterRefund(before, amountMinor);
        const [updated] = await tx.query<Row>(
          'update payments set status = $2, refunded_minor = refunded_minor + $3, updated_at = $4 where id = $1 returning *',
          [id, status, amountMinor, now],
        );
        const after = toPayment(updated!);
        await enqueue(tx, [event(after)]);
        return after;
      });
    },
    pending: (limit) => pending(sql, limit),
    // The transaction holds an advisory lock while it publishes: relays of other processes
    // (replicas, or process-payment next to refund-payment) skip the tick instead of publishing
    // the same events again, and write order is kept.
    relayBatch: (limit, publish) =>
      sql.transaction(async (tx) => {
        const [lock] = await tx.query<{ held: boolean }>('select pg_try_advisory_xact_lock($1) as held', [OUTBOX_LOCK]);
        if (!lock?.held) return 0;
        const events = await pending(tx, limit);
        for (const e of events) await publish(e);
        if (events.length) await tx.query('update outbox set published_at = now() where event_id = any($1::text[])', [events.map((e) => e.event.id)]);
        return events.length;
      }),
  };
}
