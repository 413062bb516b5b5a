import { expect, it } from 'vitest';
import { openPostgres } from '../platform/sql/postgres.ts';
import type { Sql } from '../platform/sql/sql.ts';
import { startDaprShop, type DaprShop } from '../test/support/dapr-shop.ts';
import { daprTrustTests } from '../test/support/dapr-trust-tests.ts';
import { infraUrls, requireDaprd, requireInfra } from '../test/support/infra.ts';
import { serviceName } from '../functions/routes.ts';
import { waitDrained } from '../test/support/kafka-drained.ts';
import type { CloudEvent } from '../platform/define.ts';
import { realInfraEnv, testInfraSigner } from '../test/support/real-infra-env.ts';
import { shopFlow } from '../test/support/shop-flow.ts';
import { checkoutTrace } from '../test/support/checkout-trace.ts';
import { asUser, call, eventually } from '../test/support/running-shop.ts';

const infra = await realInfraEnv();
const ready = infra.ready && requireDaprd();
const { env } = infra;
const topic = `${env.KAFKA_PREFIX}payment-completed`;
const tracing = ready && (await requireInfra('zipkin'));
let shop: DaprShop | undefined;

/** `task dapr:up` on free ports: every function its own process, each that uses events with its own daprd sidecar. */
async function startWithDapr() {
  shop = await startDaprShop(env);
  return shop;
}

const handlerGroups = (['product/on-payment-completed', 'basket/on-payment-completed'] as const).map(
  (h) => `${env.KAFKA_PREFIX}${serviceName(h)}`,
);
const bothDrained = () => waitDrained([env.KAFKA_BROKERS!], topic, handlerGroups, 30_000, 25);

/** The test's schema on PostgreSQL, to look at what the handlers wrote and to inject a fault. */
const openSchema = (): Promise<Sql> => openPostgres({ url: env.DATABASE_URL!, schema: env.DATABASE_SCHEMA, max: 2 });

shopFlow(
  'every function with its own daprd sidecar; events through Dapr pub/sub and Kafka input bindings (task dapr:up)',
  startWithDapr,
  ready,
  (gw) => {
    if (tracing)
      checkoutTrace(gw, infraUrls.zipkin, {
        gateway: 'gateway',
        payment: 'process-payment',
        handlers: ['product-on-payment-completed', 'basket-on-payment-completed'],
      });
    daprTrustTests(() => ({
      ...shop!,
      url: gw.url,
      signer: testInfraSigner,
      brokers: [env.KAFKA_BROKERS!],
      prefix: env.KAFKA_PREFIX!,
      drained: bothDrained,
    }));
    const api = (path: string) => `${gw.url}/api/v1${path}`;
    const card = { number: '4242424242424242', holder: 'Dee Dapr', expiry: '12/30', cvv: '123' };
    const stock = async (id: string) => (await call(api(`/products/${id}`))).body.stock as number;
    const pay = async (user: string, product: string, quantity: number) => {
      const auth = await asUser(user);
      await call(api('/baskets/add'), 'POST', { user_id: user, product_id: product, quantity }, auth);
      const paid = await call(api('/payments'), 'POST', { user_id: user, card }, auth);
      expect(paid.status).toBe(201);
      return paid.body.id as string;
    };

    it('a stock handler that fails once is tried again, and takes the stock once', async () => {
      const sql = await openSchema();
      try {
        // A real failure inside the handler's transaction: the first insert into processed_events
        // raises (a sequence counts attempts; sequences ignore rollbacks), later ones go through.
        await sql.exec(`
        create sequence fault_attempts;
        create function fail_first() returns trigger language plpgsql as $$
        begin
          if nextval('fault_attempts') = 1 then raise exception 'injected fault: first delivery fails'; end if;
          return new;
        end $$;
        create trigger fail_first before insert on processed_events for each row execute function fail_first();`);
        const before = await stock('desk-lamp');
        const paymentId = await pay('dapr-faulty', 'desk-lamp', 2);
        await eventually(async () => (await stock('desk-lamp')) === before - 2, 30_000);
        await bothDrained();
        const [attempts] = await sql.query<{ n: string }>('select last_value as n from fault_attempts');
        expect(Number(attempts!.n)).toBeGreaterThanOrEqual(2);
        const [applied] = await sql.query<{ n: string }>(
          `select count(*) as n from processed_events where event_id in (select event_id from outbox where key = $1 and topic = 'payment-completed')`,
          [paymentId],
        );
        expect(Number(applied!.n)).toBe(1);
        expect(await stock('desk-lamp')).toBe(before - 2);
      } finally {
        await sql.exec(
          'drop trigger if exists fail_first on processed_events; drop function if exists fail_first(); drop sequence if exists fault_attempts;',
        );
        await sql.close();
      }
    });

    it('the same event delivered again through Dapr changes neither stock nor basket', async () => {
      const before = await stock('notebook');
      const paymentId = await pay('dapr-dup', 'notebook', 1);
      await eventually(async () => (await stock('notebook')) === before - 1, 30_000);
      await bothDrained();
      await call(
        api('/baskets/add'),
        'POST',
        { user_id: 'dapr-dup', product_id: 'notebook', quantity: 1 },
        await asUser('dapr-dup'),
      );

      const sql = await openSchema();
      const [row] = await sql.query<{ event: unknown }>(
        `select event from outbox where key = $1 and topic = 'payment-completed'`,
        [paymentId],
      );
      await sql.close();
      const sidecar = shop!.sidecar('process-payment');
      for (let i = 0; i < 2; i++) {
        const res = await fetch(
          `http://127.0.0.1:${sidecar.http}/v1.0/publish/shop-pubsub/${topic}?metadata.partitionKey=${paymentId}`,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/cloudevents+json',
              'dapr-api-token': shop!.tokens('process-payment').api,
            },
            body: JSON.stringify(testInfraSigner.sign(row!.event as CloudEvent)),
          },
        );
        expect(res.status).toBe(204);
      }
      await bothDrained();
      expect(await stock('notebook')).toBe(before - 1);
      expect(
        (await call(api('/baskets/dapr-dup'), 'GET', undefined, await asUser('dapr-dup'))).body.items,
      ).toMatchObject([{ product_id: 'notebook', quantity: 1 }]);
    });
  },
);
