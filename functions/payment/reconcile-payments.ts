import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { intSchema } from '../../platform/validation.ts';
import { reconcile } from './reconciliation.ts';

/**
 * Reconciliation, for admins: compares the payment provider's ledger with the shop's payments and
 * refunds, and answers every difference with both sides' totals (npm run reconcile prints it).
 */
export default defineFunction({
  name: 'reconcile-payments',
  uses: ['payments', 'provider', 'now', 'currency'],
  access: 'admin',
  input: v.object({
    pending_older_than_seconds: v.pipe(
      v.optional(intSchema(0, 30 * 24 * 3600), 300),
      v.description('Payments and refunds pending for longer than this are differences.'),
    ),
  }),
  restInput: ({ query }) => query,
  handler:
    (d) =>
    async ({ pending_older_than_seconds }) => {
      const now = d.now();
      // The shop's records first, then the ledger: what moves between the two reads is pending
      // in the first (and young, not a difference), never missing from the second.
      const records = await d.payments.records();
      const ledger = await d.provider.ledger();
      const before = new Date(Date.parse(now) - pending_older_than_seconds * 1000).toISOString();
      return reconcile(ledger, records, d.currency, before, now);
    },
});
