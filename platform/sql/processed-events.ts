import type { SqlQuery } from './sql.ts';

/**
 * Records that `consumer` applies event `eventId`, inside the transaction of the effect; false
 * when it already did (the caller then changes nothing). Exactly-once effects over
 * at-least-once delivery.
 */
export async function markProcessed(tx: SqlQuery, consumer: string, eventId: string): Promise<boolean> {
  const fresh = await tx.query(
    'insert into processed_events (consumer, event_id) values ($1, $2) on conflict do nothing returning event_id',
    [consumer, eventId],
  );
  return fresh.length > 0;
}
