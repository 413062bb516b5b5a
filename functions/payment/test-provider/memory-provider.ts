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

/** The built-in test provider with its ledger in memory (fast tests; the memory payment store's partner). */
export function memoryTestProvider(): PaymentProvider {
  const entries = new Map<string, LedgerEntry>();
  const refundedFrom = (charge: string) =>
    [...entries.values()]
      .filter((e) => e.kind === 'refund' && e.charge === charge)
      .reduce((sum, e) => sum + e.amount.amount_minor, 0);
  return {
    async charge(req) {
      const existing = entries.get(req.key);
      if (existing) return replayCharge(existing, req);
      const entry = chargeEntry(req);
      entries.set(req.key, entry);
      return chargeResult(entry);
    },
    async refund(req) {
      const existing = entries.get(req.key);
      if (existing) return replayRefund(existing, req);
      const refusal = refundRefusal(entries.get(req.charge), refundedFrom(req.charge), req);
      if (refusal) return { refunded: false, reason: refusal };
      entries.set(req.key, refundEntry(req));
      return { refunded: true };
    },
    async closeCharge(key) {
      if (!entries.has(key)) entries.set(key, voidEntry(key));
      return chargeResult(entries.get(key)!);
    },
    async ledger() {
      return structuredClone([...entries.values()]);
    },
  };
}
