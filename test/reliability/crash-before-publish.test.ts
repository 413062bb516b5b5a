import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../gateway/test-gateway.ts';
import { waitHealthy } from '../../scripts/topology.ts';
import { freePorts } from '../infra.ts';
import { stopProcess as kill } from '../processes.ts';
import { realInfraEnv } from '../real-infra-env.ts';
import { recordFigures } from './figures.ts';
import { countMessages, createProduct, fillBaskets, pay, stockOf, unitsInBasket, useRealShop } from './harness.ts';

const { ready, env } = await realInfraEnv();
const root = new URL('../..', import.meta.url).pathname;

/** process-payment alone in its own process, as on Knative; resolves once `probe` answers 2xx. */
async function startPaymentFunction(port: number, extra: Record<string, string>, probe = '/health/ready'): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/serve-one.ts', 'process-payment'], {
    cwd: root, env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'error', ...extra }, stdio: 'ignore',
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
    const product = await createProduct(shop.url, 20);
    const users = ['crash-1', 'crash-2', 'crash-3', 'crash-4', 'crash-5'];
    await fillBaskets(shop.url, users, product, 2);
    const [first, second] = await freePorts(2);
    // A replica whose relay cannot publish (its topics do not exist: the broker refuses them):
    // every payment commits and stays unpublished. Not ready, so only its liveness is awaited.
    const doomed = await startPaymentFunction(first!, { KAFKA_PREFIX: `${env.KAFKA_PREFIX}nowhere.` }, '/health/live');
    children.push(doomed);
    for (const user of users) expect((await pay(`http://127.0.0.1:${first}`, user)).status).toBe(201);
    const pending = async () => (await shop.db.query<{ n: number }>('select count(*)::int as n from outbox where published_at is null'))[0]!.n;
    expect(await pending()).toBe(5);
    await kill(doomed);
    expect(await pending()).toBe(5);
    expect(await stockOf(shop.url, product)).toBe(20);

    // Another replica (or the same one restarted by Knative) relays what the dead one committed.
    children.push(await startPaymentFunction(second!, {}));
    await eventually(async () => (await pending()) === 0, 30_000);
    await eventually(async () => (await stockOf(shop.url, product)) === 10, 30_000);
    for (const user of users) await eventually(async () => (await unitsInBasket(shop.url, user, product)) === 0, 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    const stock = await stockOf(shop.url, product);
    await counter.stop();
    await recordFigures('crash-before-publish', {
      guarantee: 'Transactional outbox: a payment committed by a process killed before publishing is still delivered, once',
      test: 'test/reliability/crash-before-publish.test.ts',
      sent: counter.total(), delivered: counter.distinct(), duplicates: counter.total() - counter.distinct(),
      doubled: Math.max(0, (20 - stock) / 2 - 5), lost: Math.max(0, 5 - (20 - stock) / 2),
      note: '5 payments committed, process-payment SIGKILLed with all 5 events unpublished; a new replica published them; stock 20 → ' + stock,
    });
    expect(stock).toBe(10);
    expect(counter.distinct()).toBe(5);
  }, 120_000);
});
