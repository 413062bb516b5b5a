import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { waitHealthy } from '../../scripts/topology.ts';
import { freePorts } from '../support/infra.ts';
import { stopProcess as kill } from '../support/stop-process.ts';
import { realInfraEnv } from '../support/real-infra-env.ts';
import { recordFigures } from './figures.ts';
import {
  countMessages,
  createProduct,
  fillBaskets,
  handlersDone,
  pay,
  stockOf,
  unitsInBasket,
  useRealShop,
} from './harness.ts';

const { ready, env } = await realInfraEnv();
const root = new URL('../..', import.meta.url).pathname;

/** process-payment alone in its own process, as on Knative; resolves once `probe` answers 2xx. */
async function startPaymentFunction(
  port: number,
  extra: Record<string, string>,
  probe = '/health/ready',
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/serve-one.ts', 'process-payment'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'error', ...extra },
    stdio: 'ignore',
  });
  await waitHealthy(`http://127.0.0.1:${port}${probe}`, child, 'process-payment', 60_000);
  return child;
}

describe.runIf(ready)('a payment function killed between commit and publish (PostgreSQL, Redis, Kafka)', () => {
  const shop = useRealShop(env, { relay: false });
  const children: ChildProcess[] = [];
  afterAll(async () => void (await Promise.all(children.map(kill))));

  it('still delivers every committed payment event, once, when a replica starts again', async () => {
    const counter = await countMessages([env.KAFKA_BROKERS!], `${env.KAFKA_PREFIX}payment-completed`);
    onTestFinished(() => counter.stop());
    const users = ['crash-1', 'crash-2', 'crash-3', 'crash-4', 'crash-5'];
    const paid: string[] = [];
    let product = '';
    let killedWith = -1;
    const pending = async () =>
      (await shop.db.query<{ n: number }>('select count(*)::int as n from outbox where published_at is null'))[0]!.n;
    recordFigures(
      'crash-before-publish',
      async () => {
        const stock = await stockOf(shop.url, product);
        const orders = (20 - stock) / 2;
        return {
          ...counter.figures(),
          doubled: Math.max(0, orders - paid.length),
          lost: Math.max(0, paid.length - orders),
          note:
            `${paid.length} payments committed, ` +
            (killedWith < 0
              ? 'process-payment not killed'
              : `process-payment SIGKILLed with ${killedWith} events unpublished; ${await pending()} left unpublished after a new replica ran`) +
            `; stock 20 → ${stock}`,
        };
      },
      () => shop.url,
    );
    product = await createProduct(shop.url, 20);
    await fillBaskets(shop.url, users, product, 2);
    const [first, second] = await freePorts(2);
    // A replica whose relay cannot publish (its topics do not exist: the broker refuses them):
    // every payment commits and stays unpublished. Not ready, so only its liveness is awaited.
    const doomed = await startPaymentFunction(first!, { KAFKA_PREFIX: `${env.KAFKA_PREFIX}nowhere.` }, '/health/live');
    children.push(doomed);
    for (const user of users) {
      expect((await pay(`http://127.0.0.1:${first}`, user)).status).toBe(201);
      paid.push(user);
    }
    expect(await pending()).toBe(5);
    await kill(doomed);
    killedWith = await pending();
    expect(killedWith).toBe(5);
    expect(await stockOf(shop.url, product)).toBe(20);

    // Another replica (or the same one restarted by Knative) relays what the dead one committed.
    children.push(await startPaymentFunction(second!, {}));
    await vi.waitFor(async () => expect(await pending()).toBe(0), { timeout: 30_000 });
    await vi.waitFor(async () => expect(await stockOf(shop.url, product)).toBe(10), { timeout: 30_000 });
    for (const user of users)
      await vi.waitFor(async () => expect(await unitsInBasket(shop.url, user, product)).toBe(0), { timeout: 30_000 });
    // The handlers' groups have committed past every event: nothing more is coming.
    await handlersDone(env.KAFKA_BROKERS!, env.KAFKA_PREFIX!, 'payment-completed', [
      'product/on-payment-completed',
      'basket/on-payment-completed',
    ]);
    await vi.waitFor(() => expect(counter.distinct()).toBe(5), { timeout: 30_000 });
    expect(await stockOf(shop.url, product)).toBe(10);
  }, 120_000);
});
