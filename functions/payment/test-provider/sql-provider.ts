import type { Sql, SqlQuery } from '../../../platform/sql/sql.ts';
import type { LedgerEntry, PaymentProvider } from '../provider.ts';
import {
  chargeEntry,
  chargeResult,
  refundEntry,
  refundRefusal,
  replayCharge,
  replayRefund,
  voidEntry,
} from './rules.ts';

interface Row {
  key: string;
  kind: LedgerEntry['kind'];
  charge_key: string;
  amount_minor: number | string;
  currency: string;
  outcome: LedgerEntry['outcome'];
  reason: string;
}

const toEntry = (r: Row): LedgerEntry => ({
  key: r.key,
  kind: r.kind,
  charge: r.charge_key,
  amount: { amount_minor: Number(r.amount_minor), currency: r.currency },
  outcome: r.outcome,
  reason: r.reason,
});

/** Writes an entry unless its key is taken; answers whether it was written. */
async function insert(q: SqlQuery, e: LedgerEntry): Promise<boolean> {
  const rows = await q.query(
    `insert into provider_ledger (key, kind, charge_key, amount_minor, currency, outcome, reason)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (key) do nothing returning key`,
    [e.key, e.kind, e.charge, e.amount.amount_minor, e.amount.currency, e.outcome, e.reason],
  );
  return rows.length > 0;
}

const entry = async (q: SqlQuery, key: string, lock = '') =>
  (await q.query<Row>(`select * from provider_ledger where key = $1 ${lock}`, [key])).map(toEntry)[0];

/**
 * The built-in test provider with a durable ledger (the `provider_ledger` table of the shop's
 * database, PGlite or PostgreSQL), as a stand-in PSP keeps one: a key answers once and the same
 * for ever; refunds of a charge are judged one at a time (its row locked) against what is left.
 */
export function sqlTestProvider(sql: Sql): PaymentProvider {
  return {
    async charge(req) {
      const fresh = chargeEntry(req);
      // A concurrent charge with the key waits for the first to commit, then finds its entry.
      if (await insert(sql, fresh)) return chargeResult(fresh);
      return replayCharge((await entry(sql, req.key))!, req);
    },
    refund: (req) =>
      sql.transaction(async (tx) => {
        const charge = await entry(tx, req.charge, 'for update');
        const existing = await entry(tx, req.key);
        if (existing) return replayRefund(existing, req);
        const [{ refunded }] = (await tx.query<{ refunded: number | string }>(
          `select coalesce(sum(amount_minor), 0) as refunded from provider_ledger where kind = 'refund' and charge_key = $1`,
          [req.charge],
        )) as [{ refunded: number | string }];
        const refusal = refundRefusal(charge, Number(refunded), req);
        if (refusal) return { refunded: false, reason: refusal };
        // Under the charge's lock no other refund of it can take the key meanwhile; one of another
        // charge could: then that is the key's first answer.
        if (!(await insert(tx, refundEntry(req)))) return replayRefund((await entry(tx, req.key))!, req);
        return { refunded: true };
      }),
    async closeCharge(key) {
      await insert(sql, voidEntry(key));
      return chargeResult((await entry(sql, key))!);
    },
    async ledger() {
      return (await sql.query<Row>('select * from provider_ledger order by created_at, key')).map(toEntry);
    },
  };
}
