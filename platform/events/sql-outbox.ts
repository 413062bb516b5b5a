import type { Sql, SqlQuery, SqlTx } from '../sql/sql.ts';
import type { Outbox, OutboxEvent } from './outbox.ts';
import { outboxWritten } from './outbox-writes.ts';

/** Queues events in the `outbox` table, inside the caller's transaction; relays hear of them once it commits. */
export async function enqueue(tx: SqlTx, events: OutboxEvent[]): Promise<void> {
  await Promise.all(
    events.map((e) =>
      tx.query('insert into outbox (event_id, topic, key, event) values ($1, $2, $3, $4)', [
        e.event.id,
        e.topic,
        e.key,
        JSON.stringify(e.event),
      ]),
    ),
  );
  tx.afterCommit(outboxWritten);
}

/** The advisory lock key of the outbox relay. */
const OUTBOX_LOCK = 0x0d_a7_b0_c5;

/** The oldest unpublished outbox events, in write order. */
async function pending(q: SqlQuery, limit: number): Promise<OutboxEvent[]> {
  const rows = await q.query<{ topic: string; key: string; event: OutboxEvent['event'] | string }>(
    'select topic, key, event from outbox where published_at is null order by seq limit $1',
    [limit],
  );
  return rows.map((r) => ({
    topic: r.topic,
    key: r.key,
    event: typeof r.event === 'string' ? JSON.parse(r.event) : r.event,
  }));
}

/** The outbox table (PGlite or PostgreSQL), which every SQL store writing events shares. */
export function sqlOutbox(sql: Sql): Outbox {
  return {
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
        if (events.length)
          await tx.query('update outbox set published_at = now() where event_id = any($1::text[])', [
            events.map((e) => e.event.id),
          ]);
        return events.length;
      }),
  };
}
