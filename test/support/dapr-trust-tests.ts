import http from 'node:http';
import fc from 'fast-check';
import { Kafka, logLevel } from 'kafkajs';
import { expect, it } from 'vitest';
import { hostilePaymentCompleted } from './hostile-events.ts';
import { MAX_EVENT_BYTES } from '../../platform/events/binding-route.ts';
import { paymentCompleted } from './test-events.ts';
import { routes, serviceName, type FunctionName } from '../../functions/routes.ts';
import type { EventSigner } from '../../platform/events/signature.ts';
import type { DaprShop } from './dapr-shop.ts';
import { asUser, call } from './running-shop.ts';

/** What the trust tests reach of a shop run as `task dapr:up` runs it, and of its Kafka. */
export interface TrustTarget extends Omit<DaprShop, 'stop'> {
  /** The Kafka brokers and topic prefix of the run. */
  brokers: string[];
  prefix: string;
  /** Signs events as the shop's functions do. */
  signer: EventSigner;
  /** Resolves once the event handlers' consumer groups have committed every message. */
  drained(): Promise<void>;
}

const handlers = (Object.keys(routes) as FunctionName[]).filter((n) => routes[n].kind === 'event');
const eventRouteOf = (name: FunctionName) => routes[name] as { binding: string; topic: string };
const bindingOf = (name: FunctionName) => eventRouteOf(name).binding;
const products = ['yoga-mat', 'notebook', 'desk-lamp'];
/** The time of an event the running shop should apply: now, by its real clock. */
const now = () => new Date().toISOString();

/**
 * Tests that nobody but a function's own sidecar can write its events, and that what a sidecar
 * delivers with a valid token cannot take stock unless it is a real paid order.
 */
export function daprTrustTests(shop: () => TrustTarget): void {
  const stockOf = async (id: string) => (await call(`${shop().url}/api/v1/products/${id}`)).body.stock as number;
  const stocks = async () =>
    Object.fromEntries(await Promise.all(products.map(async (p) => [p, await stockOf(p)] as const)));
  // A connection per request: a server may close one after refusing a body it did not read.
  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        url,
        { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } },
        (res) => {
          let text = '';
          res
            .setEncoding('utf8')
            .on('data', (d) => (text += d))
            .on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      // A refused body may be cut short by the server after it answered: the answer counts. A server
      // that answered before reading a body too large to take closes the connection once it has
      // drained for a while (@hono/node-server: 500 ms); on a loaded machine the client is still
      // writing then, and the reset can take the answer with it: status 0, the refusal the caller
      // judges (only a body over the limit may be refused so).
      req.on('error', (err: NodeJS.ErrnoException) =>
        err.code === 'EPIPE' || err.code === 'ECONNRESET'
          ? resolve({ status: 0, text: `connection closed while sending (${err.code})` })
          : reject(err),
      );
      req.end(body);
    });
  const eventRoute = (name: FunctionName) => `http://127.0.0.1:${shop().appPort(name)}/${bindingOf(name)}`;

  it('refuses a forged delivery to every event handler without its app API token, or with another, with 401, changing nothing', async () => {
    const s = shop();
    const user = 'dapr-trust-victim';
    const auth = await asUser(user);
    expect(
      (await call(`${s.url}/api/v1/baskets/add`, 'POST', { user_id: user, product_id: 'yoga-mat', quantity: 1 }, auth))
        .status,
    ).toBe(200);
    const before = await stocks();
    const forged = JSON.stringify(
      paymentCompleted('forged-delivery', user, [{ product_id: 'yoga-mat', quantity: before['yoga-mat']! }]),
    );
    for (const name of handlers) {
      const others = handlers.filter((h) => h !== name).map((h) => s.tokens(h).app);
      const attempts: Record<string, string>[] = [
        {},
        { 'dapr-api-token': 'not-the-token' },
        { 'dapr-api-token': s.tokens(name).api },
        ...others.map((t) => ({ 'dapr-api-token': t })),
      ];
      for (const headers of attempts) {
        const res = await post(eventRoute(name), forged, {
          ...headers,
          __topic: `${s.prefix}${eventRouteOf(name).topic}`,
        });
        expect(res.status, `${name} with ${JSON.stringify(headers)}`).toBe(401);
      }
    }
    expect(await stocks()).toEqual(before);
    expect((await call(`${s.url}/api/v1/baskets/${user}`, 'GET', undefined, auth)).body.items).toMatchObject([
      { product_id: 'yoga-mat', quantity: 1 },
    ]);
  });

  it("refuses to publish or invoke through a sidecar without that sidecar's API token (401), changing nothing", async () => {
    const s = shop();
    const before = await stocks();
    const sidecar = `http://127.0.0.1:${s.sidecar('process-payment').http}`;
    const forged = JSON.stringify(
      paymentCompleted('forged-publish', 'dapr-trust-victim', [{ product_id: 'notebook', quantity: before.notebook! }]),
    );
    const publish = `${sidecar}/v1.0/publish/shop-pubsub/${s.prefix}payment-completed`;
    const invoke = `${sidecar}/v1.0/invoke/${serviceName('product/on-payment-completed')}/method/${bindingOf('product/on-payment-completed')}`;
    for (const headers of [
      {},
      { 'dapr-api-token': 'not-the-token' },
      { 'dapr-api-token': s.tokens('add-to-basket').api },
      { 'dapr-api-token': s.tokens('process-payment').app },
    ] as Record<string, string>[]) {
      expect(
        (await post(publish, forged, { 'content-type': 'application/cloudevents+json', ...headers })).status,
        JSON.stringify(headers),
      ).toBe(401);
      expect((await post(invoke, forged, headers)).status, JSON.stringify(headers)).toBe(401);
    }
    await s.drained();
    expect(await stocks()).toEqual(before);
  });

  it('refuses an app publishing a topic it may not, even with its sidecar API token', async () => {
    const s = shop();
    const before = await stocks();
    const forged = JSON.stringify(
      paymentCompleted('forged-scope', 'dapr-trust-victim', [{ product_id: 'notebook', quantity: 1 }]),
    );
    // basket/on-payment-completed writes nothing to the outbox: it may publish dead letters only.
    for (const name of ['basket/on-payment-completed'] as const) {
      const publish = `http://127.0.0.1:${s.sidecar(name).http}/v1.0/publish/shop-pubsub/${s.prefix}payment-completed`;
      const res = await post(publish, forged, {
        'content-type': 'application/cloudevents+json',
        'dapr-api-token': s.tokens(name).api,
      });
      expect(res.status, `${name}: ${res.text}`).toBe(403);
    }
    await s.drained();
    expect(await stocks()).toEqual(before);
  });

  it("refuses another app's service invocation of an event route, even through that app's own sidecar with its token", async () => {
    const s = shop();
    const before = await stocks();
    const sidecar = `http://127.0.0.1:${s.sidecar('process-payment').http}`;
    const forged = JSON.stringify(
      paymentCompleted('forged-invoke', 'dapr-trust-victim', [{ product_id: 'desk-lamp', quantity: 1 }]),
    );
    const invoke = `${sidecar}/v1.0/invoke/${serviceName('product/on-payment-completed')}/method/${bindingOf('product/on-payment-completed')}`;
    const res = await post(invoke, forged, { 'dapr-api-token': s.tokens('process-payment').api });
    // daprd forwards with the callee's app token and the caller's app id: the route refuses it.
    expect(res.status, res.text).toBe(403);
    expect(await stocks()).toEqual(before);
  });

  it('lets a delivery with the token through, and refuses or dead-letters hostile events with a valid token: never a 5xx, never stock taken', async () => {
    const s = shop();
    const route = eventRoute('product/on-payment-completed');
    const token = { 'dapr-api-token': s.tokens('product/on-payment-completed').app };
    const kafka = {
      ...token,
      __topic: `${s.prefix}payment-completed`,
      __partition: '0',
      __offset: '0',
      __key: 'hostile',
    };
    // Written now: the shop's clock is the real one (replay window).
    const applied = s.signer.sign(
      paymentCompleted('trust-applied', 'dapr-trust-buyer', [{ product_id: 'notebook', quantity: 1 }], now()),
    );
    const first = await stocks();
    expect(await post(route, JSON.stringify(applied), token)).toMatchObject({ status: 200 });
    const before = await stocks();
    expect(before.notebook).toBe(first.notebook! - 1);
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        hostilePaymentCompleted(applied, products, applied.id, s.signer),
        fc.boolean(),
        async (hostile, viaKafka) => {
          const res = await post(route, hostile.body, viaKafka ? kafka : token);
          kinds.set(hostile.kind, (kinds.get(hostile.kind) ?? 0) + 1);
          if (res.status === 0) {
            expect(Buffer.byteLength(hostile.body), `${hostile.kind}: ${res.text}`).toBeGreaterThan(MAX_EVENT_BYTES);
            return;
          }
          // Refused (400, 413 too large; 200 DROP: dead-lettered, for Kafka), or applied without taking stock.
          expect(res.status, `${hostile.kind}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
          if (res.status === 200) expect(JSON.parse(res.text).status, hostile.kind).toMatch(/^(DROP|SUCCESS)$/);
          else expect([400, 413], hostile.kind).toContain(res.status);
        },
      ),
      { numRuns: 120 },
    );
    expect([...kinds.keys()].length, [...kinds.keys()].join(', ')).toBeGreaterThanOrEqual(10);
    await s.drained();
    expect(await stocks()).toEqual(before);
  }, 120_000);

  it('drains hostile messages written straight to Kafka (unsigned ones among them): daprd delivers them with the token, each is dead-lettered or refused once, no stock taken; a signed order behind them is applied', async () => {
    const s = shop();
    const before = await stocks();
    const base = paymentCompleted(
      'trust-kafka-base',
      'dapr-trust-buyer',
      [{ product_id: 'notebook', quantity: 1 }],
      now(),
    );
    // Kafka refuses messages over 1 MiB itself; every other kind goes on the topic.
    const hostile = fc
      .sample(hostilePaymentCompleted(base, products, 'trust-applied', s.signer), { numRuns: 60, seed: 13 })
      .filter((h) => h.body.length < 900_000);
    const kafka = new Kafka({ clientId: 'daprps-trust-test', brokers: s.brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: `${s.prefix}payment-completed`,
        messages: hostile.map((h, i) => ({ key: `hostile-${i}`, value: h.body })),
      });
      // Behind them, one real order signed by the shop: applied, so the handler was listening.
      const real = s.signer.sign(
        paymentCompleted('trust-kafka-real', 'dapr-trust-buyer', [{ product_id: 'desk-lamp', quantity: 1 }], now()),
      );
      await producer.send({
        topic: `${s.prefix}payment-completed`,
        messages: [{ key: 'real', value: JSON.stringify(real) }],
      });
    } finally {
      await producer.disconnect();
    }
    await s.drained();
    expect(await stocks()).toEqual({ ...before, 'desk-lamp': before['desk-lamp']! - 1 });
  }, 120_000);
}
