import type { Log } from '../../platform/log.ts';
import type { Deps } from '../deps.ts';
import { completeRefund } from './complete-refund.ts';
import { settleCharge } from './settle-charge.ts';

/** What the recovery takes. */
type RecoveryDeps = Pick<Deps, 'payments' | 'provider' | 'now' | 'newId' | 'crash'>;

/** A running recovery. */
export interface PaymentRecovery {
  /** One pass now: settles what was left pending; answers how many it settled. */
  pass(): Promise<number>;
  stop(): Promise<void>;
}

/** How often it looks, and how old a pending payment or refund must be before it takes it over. */
export interface RecoveryOptions {
  intervalMs: number;
  afterMs: number;
  batch?: number;
}

/**
 * Finishes what a process that died mid-way left pending, like the outbox relay finishes its
 * publishing: a payment pending for longer than `afterMs` is settled with the provider's answer to
 * its key (closeCharge: charged → completed, never charged → voided, so a late charge cannot
 * land); a refund pending that long is asked of the provider again under its own key and settled.
 * Every step is idempotent, so replicas running it side by side settle each thing once.
 */
export function startPaymentRecovery(d: RecoveryDeps, log: Log, o: RecoveryOptions): PaymentRecovery {
  const batch = o.batch ?? 50;
  let running: Promise<number> = Promise.resolve(0);
  let stopped = false;
  /** Settles one thing; a failure is logged and the pass goes on (one bad item must not hold the rest). */
  const each = async <T extends { id: string }>(items: T[], settle: (item: T) => Promise<Record<string, unknown>>) => {
    let settled = 0;
    for (const item of items) {
      try {
        log.warn(await settle(item), 'recovery: settled what a crash left pending');
        settled++;
      } catch (err) {
        log.error({ err, id: item.id }, 'recovery: could not settle it; will try again');
      }
    }
    return settled;
  };
  const once = async () => {
    const before = new Date(Date.parse(d.now()) - o.afterMs).toISOString();
    const payments = await each(await d.payments.stalePayments(before, batch), async (pending) => {
      const payment = await settleCharge(d, pending, await d.provider.closeCharge(pending.id));
      return { payment_id: payment.id, status: payment.status };
    });
    const refunds = await each(await d.payments.staleRefunds(before, batch), async (refund) => {
      const done = await completeRefund(d, refund);
      return { payment_id: refund.payment_id, refund_id: refund.id, status: done.refund.status };
    });
    return payments + refunds;
  };
  const failed = (err: unknown) => {
    log.error({ err }, 'payment recovery failed; will retry');
    return 0;
  };
  let busy = false;
  const pass = () =>
    (running = running.then(async () => {
      busy = true;
      try {
        return await once();
      } catch (err) {
        return failed(err);
      } finally {
        busy = false;
      }
    }));
  // A tick while a pass runs (a slow provider) is skipped, not queued behind it.
  const timer = setInterval(() => !stopped && !busy && void pass(), o.intervalMs);
  timer.unref();
  return {
    pass,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
