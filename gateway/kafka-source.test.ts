import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, serviceName, type FunctionName } from '../functions/routes.ts';
import { requireDaprd } from '../test/support/infra.ts';
import { emulateKafkaSources } from '../test/support/kafka-source-emulator.ts';
import { realInfraEnv } from '../test/support/real-infra-env.ts';
import { startDaprShop, type DaprShop } from '../test/support/dapr-shop.ts';
import { asUser, call, eventually, GATEWAY_ADMIN } from '../test/support/running-shop.ts';

const infra = await realInfraEnv();
const ready = infra.ready && requireDaprd();
const { env } = infra;
const handlers = (Object.keys(routes) as FunctionName[]).filter((n) => routes[n].kind === 'event');

describe.runIf(ready)(
  'a checkout through event handlers fed the way a KafkaSource feeds them (knative/overlays/kafkasource)',
  () => {
    let shop: DaprShop;
    let sources: Awaited<ReturnType<typeof emulateKafkaSources>>;
    beforeAll(async () => {
      // Sidecars without input bindings: events reach the handlers only through the sources.
      shop = await startDaprShop(env, { bindings: false });
      sources = await emulateKafkaSources(
        [env.KAFKA_BROKERS!],
        handlers.map((name) => {
          const route = routes[name] as { topic: string; binding: string };
          return {
            topic: `${env.KAFKA_PREFIX}${route.topic}`,
            group: `${env.KAFKA_PREFIX}${serviceName(name)}`,
            sink: `http://127.0.0.1:${shop.appPort(name)}/${route.binding}`,
            apptoken: shop.tokens(name).app,
          };
        }),
      );
    }, 120_000);
    afterAll(async () => {
      await sources?.stop();
      await shop?.stop();
    }, 60_000);

    const api = (path: string) => `${shop.url}/api/v1${path}`;
    const card = { number: '4242424242424242', holder: 'Kay Source', expiry: '12/30', cvv: '123' };
    const stock = async (id: string) => (await call(api(`/products/${id}`))).body.stock as number;
    const basket = async (user: string) =>
      (await call(api(`/baskets/${user}`), 'GET', undefined, await asUser(user))).body.items as unknown[];

    it('takes the stock and clears the basket once payment-completed comes through the source', async () => {
      const auth = await asUser('ks-buyer');
      const before = await stock('french-press');
      expect(
        (
          await call(
            api('/baskets/add'),
            'POST',
            { user_id: 'ks-buyer', product_id: 'french-press', quantity: 2 },
            auth,
          )
        ).status,
      ).toBe(200);
      expect((await call(api('/payments'), 'POST', { user_id: 'ks-buyer', card }, auth)).status).toBe(201);
      await eventually(
        async () => (await stock('french-press')) === before - 2 && (await basket('ks-buyer')).length === 0,
        30_000,
      );
    }, 60_000);

    it('refunds in full, through stock-rejected and the source, the orders that stock could not serve (the saga)', async () => {
      const created = await call(
        api('/products'),
        'POST',
        { name: 'Last one', category: 'test', price: { amount_minor: 1000, currency: 'USD' }, stock: 1 },
        { authorization: `Bearer ${GATEWAY_ADMIN}` },
      );
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const buyers = ['ks-a', 'ks-b', 'ks-c', 'ks-d'];
      for (const user of buyers)
        expect(
          (await call(api('/baskets/add'), 'POST', { user_id: user, product_id: id, quantity: 1 }, await asUser(user)))
            .status,
        ).toBe(200);
      // Every payment answered before any payment-completed is delivered: each sees the unit in
      // stock, and the events decide who gets it (without the hold, a fast handler may take the
      // unit before the later payments check, and they are refused instead: no saga to test).
      const release = sources.hold();
      const answers = await Promise.all(
        buyers.map(
          async (user) => (await call(api('/payments'), 'POST', { user_id: user, card }, await asUser(user))).body,
        ),
      ).finally(release);
      const paid = answers.filter((p) => p.status === 'completed');
      expect(paid).toHaveLength(buyers.length);
      const statuses = async () =>
        Promise.all(
          paid.map(
            async (p) =>
              (await call(api(`/payments/${p.id}`), 'GET', undefined, await asUser(p.user_id))).body.status as string,
          ),
        );
      await eventually(
        async () => (await statuses()).filter((s) => s === 'refunded').length === paid.length - 1,
        30_000,
      );
      expect((await statuses()).filter((s) => s === 'completed')).toHaveLength(1);
      expect(await stock(id)).toBe(0);
    }, 60_000);
  },
);
