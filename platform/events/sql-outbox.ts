import type { Sql, SqlQuery, SqlTx } from '../sql/sql.ts';
import type { Outbox, OutboxEvent } from './outbox.ts';
import { outboxWritten } from './outbox-writes.ts';

/** Inserts the outbox events of parameter `$n` (their JSON array), in their order; `where` filters them all. */
const insertEvents = (n: number, where = '') => `insert into outbox (event_id, topic, key, event)
  select e->'event'->>'id', e->>'topic', e->>'key', e->'event'
    from jsonb_array_elements($${n}::jsonb) with ordinality as x(e, i) ${where} order by i`;

/** Queues events in the `outbox` table, inside the caller's transaction; relays hear of them once it commits. */
export async function enqueue(tx: SqlTx, events: OutboxEvent[]): Promise<void> {
  if (events.length) await tx.query(insertEvents(1), [JSON.stringify(events)]);
  tx.afterCommit(outboxWritten);
}

/**
 * Runs `change`, one data-modifying statement with `params` ending in `returning`, and queues
 * `events` in the same statement only if it changed a row: atomic like a transaction, in one
 * round trip instead of four (begin, change, insert, commit). Answers the rows the change
 * returned; relays hear of the events once it returns (committed).
 */
export async function changeWithEvents<R>(
  sql: SqlQuery,
  change: string,
  params: unknown[],
  events: OutboxEvent[],
): Promise<R[]> {
  const rows = await sql.query<R>(
    `with change as (${change}), queued as (${insertEvents(params.length + 1, 'where exists (select 1 from change)')})
     select * from change`,
    [...params, JSON.stringify(events)],
  );
  if (events.length && rows.length) outboxWritten();
  return rows;
}

/** The advisory lock key of the outbox relay. */
const OUTBOX_LOCK = 0x0d_a7_b0_c5;

/** An outbox row as the driver gives it (PGlite may give jsonb as text). */
interface Row {
  topic: string;
  key: string;
  event: OutboxEvent['event'] | string;
}

const toEvent = (r: Row): OutboxEvent => ({
  topic: r.topic,
  key: r.key,
  event: typeof r.event === 'string' ? JSON.parse(r.event) : r.event,
});

/** The oldest unpublished outbox events, in write order. */
const PENDING = 'select topic, key, event from outbox where published_at is null order by seq limit $1';

/**
 * The relay's lock and, when it got it, the oldest pending events, in one round trip: one row
 * with `held` false, or a row per event (one with a null topic when there are none).
 */
const LOCK_AND_PENDING = `select l.held, o.topic, o.key, o.event
  from (select pg_try_advisory_xact_lock($1) as held) l
  left join lateral (select seq, topic, key, event from outbox
                     where l.held and published_at is null order by seq limit $2) o on true
  order by o.seq`;

/** The outbox table (PGlite or PostgreSQL), which every SQL store writing events shares. */
export function sqlOutbox(sql: Sql): Outbox {
  return {
    pending: async (limit) => (await sql.query<Row>(PENDING, [limit])).map(toEvent),
    // The transaction holds an advisory lock while it publishes: relays of other processes
    // (replicas, or process-payment next to refund-payment) skip the tick instead of publishing
    // the same events again, and write order is kept.
    relayBatch: (limit, publish) =>
      sql.transaction(async (tx) => {
        const rows = await tx.query<{ held: boolean } & (Row | { topic: null })>(LOCK_AND_PENDING, [
          OUTBOX_LOCK,
          limit,
        ]);
        if (!rows[0]?.held) return 'busy';
        const events = rows.flatMap((r) => (r.topic === null ? [] : [toEvent(r as Row)]));
        if (!events.length) return 0;
        await publish(events);
        await tx.query('update outbox set published_at = now() where event_id = any($1::text[])', [
          events.map((e) => e.event.id),
        ]);
        return events.length;
      }),
  };
}
