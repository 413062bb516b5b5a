import { afterAll, describe, expect, it, vi } from 'vitest';
import { waitHealthy } from '../../scripts/topology.ts';
import type { Failpoint } from '../../platform/failpoints.ts';
import { freePort } from '../support/infra.ts';
import { startNode, type NodeProcess } from '../support/node-process.ts';
import { asUser, call, GATEWAY_ADMIN } from '../support/running-shop.ts';
import { realInfraEnv } from '../support/real-infra-env.ts';
import { stopProcess } from '../support/stop-process.ts';
import { recordCheck } from './figures.ts';
import { approvedCard, createProduct, fillBaskets, reconciled, useRealShop } from './harness.ts';

const { ready, env } = await realInfraEnv();
const admin = { authorization: `Bearer ${GATEWAY_ADMIN}` };
/** The restarted function takes over what was left pending after 1 s (the default is 30 s). */
const RECOVERY = { PAYMENT_RECOVERY_AFTER_MS: '1000', PAYMENT_RECOVERY_INTERVAL_MS: '200' };

describe.runIf(ready)('money moved once across SIGKILLs at each step (PostgreSQL, Redis, Kafka)', () => {
  const shop = useRealShop(env);
  const started: NodeProcess[] = [];
  afterAll(async () => void (await Promise.all(started.map((p) => stopProcess(p.child)))));
  let runs = 0;
  const broken: string[] = [];
  /** `name` served alone on its own port, as on Knative; with a failpoint it kills itself there. */
  async function start(name: string, failpoint?: Failpoint) {
    const port = await freePort();
    const p = startNode(['functions/serve-one.ts', name], {
      ...env,
      ...RECOVERY,
      ADMIN_TOKEN: GATEWAY_ADMIN,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...(failpoint ? { FAILPOINTS: failpoint } : {}),
    });
    started.push(p);
    await waitHealthy(`http://127.0.0.1:${port}/health/ready`, p.child, name, 60_000);
    return { p, url: `http://127.0.0.1:${port}` };
  }

  /** Sends a request the process dies in: the connection is cut, and it died at `failpoint` by SIGKILL. */
  async function killedBy(fn: { p: NodeProcess }, failpoint: Failpoint, request: () => Promise<unknown>) {
    await expect(request()).rejects.toThrow();
    await fn.p.exited;
    expect(fn.p.child.signalCode).toBe('SIGKILL');
    expect(fn.p.output()).toContain(`failpoint ${failpoint}: SIGKILL`);
  }

  /** One scenario: counted, and named if its guarantee broke; the suite's figures so far are recorded when it ends. */
  async function scenario(name: string, body: () => Promise<void>) {
    recordCheck(
      'money-crash',
      async () => ({
        runs,
        failures: broken.length,
        note: `${runs} kills at an exact step (SIGKILL by a failpoint), each followed by a restart: ${broken.length ? `broken: ${broken.join('; ')}` : 'every payment settled, every refund paid once, the ledgers reconciled'}`,
      }),
      () => shop.url,
    );

    runs++;
    try {
      await body();
    } catch (e) {
      broken.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
      throw e;
    }
  }

  const paymentsOf = async (user: string) =>
    shop.db.query<{ id: string; status: string; failure_reason: string }>(
      'select id, status, failure_reason from payments where user_id = $1',
      [user],
    );
  const ledger = async (kind: string) =>
    shop.db.query<{ key: string; charge_key: string; amount_minor: string; outcome: string }>(
      'select key, charge_key, amount_minor, outcome from provider_ledger where kind = $1 order by created_at',
      [kind],
    );

  for (const [failpoint, outcome] of [
    ['process-payment.after-begin', { status: 402, payment: 'failed', charges: 'voided' }],
    ['process-payment.after-charge', { status: 201, payment: 'completed', charges: 'approved' }],
  ] as const)
    it(`process-payment killed at ${failpoint}: after restart the payment is ${outcome.payment} and the retry with its key gets it`, async () => {
      await scenario(failpoint, async () => {
        const user = `crash-pay-${failpoint.split('.')[1]}`;
        const product = await createProduct(shop.url, 5);
        await fillBaskets(shop.url, [user], product, 2);
        const pay = async (url: string) =>
          call(
            `${url}/api/v1/payments`,
            'POST',
            { user_id: user, card: approvedCard },
            { 'idempotency-key': `key-${user}`, ...(await asUser(user)) },
          );
        const doomed = await start('process-payment', failpoint);
        await killedBy(doomed, failpoint, () => pay(doomed.url));
        expect((await paymentsOf(user)).map((p) => p.status)).toEqual(['pending']);

        const restarted = await start('process-payment');
        await vi.waitFor(async () => expect((await pay(restarted.url)).status).toBe(outcome.status), {
          timeout: 30_000,
          interval: 250,
        });
        const [payment] = await paymentsOf(user);
        expect(payment!.status).toBe(outcome.payment);
        const charges = (await ledger('charge')).filter((e) => e.key === payment!.id);
        expect(charges.map((e) => e.outcome)).toEqual([outcome.charges]);
        expect(await reconciled(shop.url)).toEqual([]);
      });
    }, 120_000);

  for (const failpoint of ['refund.after-reserve', 'refund.after-provider'] as const)
    it(`refund-payment killed at ${failpoint}: after restart the refund is paid once`, async () => {
      await scenario(failpoint, async () => {
        const user = `crash-refund-${failpoint.split('.')[1]}`;
        const product = await createProduct(shop.url, 5);
        await fillBaskets(shop.url, [user], product, 2);
        const paid = await call(
          `${shop.url}/api/v1/payments`,
          'POST',
          { user_id: user, card: approvedCard },
          await asUser(user),
        );
        expect(paid.status).toBe(201);
        const key = { 'idempotency-key': `refund-${user}`, ...admin };
        const refund = (url: string) => call(`${url}/api/v1/payments/${paid.body.id}/refund`, 'POST', undefined, key);
        const doomed = await start('refund-payment', failpoint);
        await killedBy(doomed, failpoint, () => refund(doomed.url));
        const asked = failpoint === 'refund.after-provider' ? 1 : 0;
        const refundsOf = async () => (await ledger('refund')).filter((e) => e.charge_key === paid.body.id);
        expect(await refundsOf()).toHaveLength(asked);

        const restarted = await start('refund-payment');
        await vi.waitFor(
          async () => {
            const [p] = await paymentsOf(user);
            expect(p!.status).toBe('refunded');
          },
          { timeout: 30_000, interval: 250 },
        );
        // The retry with the admin's key answers the same refund, and moves nothing more.
        expect((await refund(restarted.url)).body).toMatchObject({
          status: 'refunded',
          refunded: { amount_minor: 2000 },
        });
        expect((await refundsOf()).map((e) => Number(e.amount_minor))).toEqual([2000]);
        expect(await reconciled(shop.url)).toEqual([]);
      });
    }, 120_000);
});
