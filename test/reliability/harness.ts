import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import type { Runtime } from '../../functions/build-runtime.ts';
import { asUser, call, GATEWAY_ADMIN, startEmbedded } from '../support/running-shop.ts';
import { openPostgres } from '../../platform/sql/postgres.ts';
import type { Sql } from '../../platform/sql/sql.ts';
import { serviceName } from '../../functions/routes.ts';
import { waitDrained } from '../support/kafka-drained.ts';

/** A shop in this process on real infrastructure, with a direct line to its database. */
export interface RealShop {
  url: string;
  runtime: Runtime;
  db: Sql;
  stop(): Promise<void>;
}

/**
 * The gateway with every function in process on `env` (PostgreSQL, Redis, Kafka), its event
 * handlers subscribed; `relay: false` leaves publishing to other processes.
 */
export async function startRealShop(env: Record<string, string>, opts: { relay?: boolean } = {}): Promise<RealShop> {
  const shop = await startEmbedded(env, opts);
  const db = await openPostgres({ url: env.DATABASE_URL!, schema: env.DATABASE_SCHEMA });
  return {
    ...shop,
    db,
    async stop() {
      await db.close();
      await shop.stop();
    },
  };
}

/** {@link startRealShop} before the suite's tests and stopped after them; the object is filled in `beforeAll`. */
export function useRealShop(env: Record<string, string>, opts: { relay?: boolean } = {}): RealShop {
  const shop = {} as RealShop;
  beforeAll(async () => void Object.assign(shop, await startRealShop(env, opts)), 120_000);
  afterAll(async () => shop.stop?.(), 60_000);
  return shop;
}

/** A card the test provider approves. */
export const approvedCard = { number: '4242424242424242', holder: 'Rel Iable', expiry: '12/30', cvv: '123' };

/** Creates a product with the given stock through the gateway; returns its id. */
export async function createProduct(url: string, stock: number, name = 'Reliability test item'): Promise<string> {
  const res = await call(
    `${url}/api/v1/products`,
    'POST',
    { name, category: 'test', price: { amount_minor: 1000, currency: 'USD' }, stock },
    { authorization: `Bearer ${GATEWAY_ADMIN}` },
  );
  if (res.status !== 201) throw new Error(`creating a product: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Puts `quantity` of a product in each user's basket, a few at a time. */
export async function fillBaskets(url: string, users: string[], productId: string, quantity: number): Promise<void> {
  for (let i = 0; i < users.length; i += 20) {
    await Promise.all(
      users.slice(i, i + 20).map(async (user_id) => {
        const res = await call(
          `${url}/api/v1/baskets/add`,
          'POST',
          { user_id, product_id: productId, quantity },
          await asUser(user_id),
        );
        if (res.status !== 200)
          throw new Error(`add-to-basket for ${user_id}: ${res.status} ${JSON.stringify(res.body)}`);
      }),
    );
  }
}

/** Pays a user's basket through the gateway. */
export const pay = async (url: string, user: string) =>
  call(
    `${url}/api/v1/payments`,
    'POST',
    { user_id: user, card: approvedCard },
    { 'idempotency-key': `pay-${user}`, ...(await asUser(user)) },
  );

/** Units of a product left in stock; a failed read throws. */
export async function stockOf(url: string, id: string): Promise<number> {
  const res = await call(`${url}/api/v1/products/${id}`);
  if (res.status !== 200 || typeof res.body?.stock !== 'number')
    throw new Error(`reading the stock of ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.stock;
}

/** Units of a product in a user's basket; a failed read throws. */
export async function unitsInBasket(url: string, user: string, productId: string): Promise<number> {
  const res = await call(`${url}/api/v1/baskets/${user}`, 'GET', undefined, await asUser(user));
  if (res.status !== 200) throw new Error(`reading the basket of ${user}: ${res.status} ${JSON.stringify(res.body)}`);
  const items: { product_id: string; quantity: number }[] = res.body.items;
  return items.find((i) => i.product_id === productId)?.quantity ?? 0;
}

/** A counting consumer group's view of a topic. */
export interface MessageCounter {
  total(): number;
  distinct(): number;
  figures(): { sent: number; delivered: number; duplicates: number };
  stop(): Promise<void>;
}

/**
 * Counts the messages of a Kafka topic from its start, in a group of its own: how many arrived
 * and how many distinct event ids, to tell redeliveries from events (a message that is no JSON
 * event counts as its own).
 */
export async function countMessages(brokers: string[], topic: string): Promise<MessageCounter> {
  const kafka = new Kafka({ clientId: 'reliability-counter', brokers, logLevel: logLevel.NOTHING });
  const consumer: Consumer = kafka.consumer({
    groupId: `counter-${topic}-${Date.now()}`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const ids: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const idOf = (text: string, at: string) => {
    try {
      return String(JSON.parse(text).id ?? at);
    } catch {
      return at;
    }
  };
  await consumer.run({
    eachMessage: async ({ message, partition }) =>
      void ids.push(idOf(message.value?.toString() ?? '', `unreadable@${partition}:${message.offset}`)),
  });
  const total = () => ids.length;
  const distinct = () => new Set(ids).size;
  /** What the counting group saw, as a record's figures: every message, the distinct events, the redeliveries. */
  const figures = () => ({ sent: total(), delivered: distinct(), duplicates: total() - distinct() });
  return { total, distinct, figures, stop: () => consumer.disconnect() };
}

/**
 * Waits until the consumer groups of `handlers` (e.g. 'product/on-payment-completed') have
 * committed every message of `topic` so far: whatever they do with those messages is done.
 */
export async function handlersDone(
  brokers: string,
  prefix: string,
  topic: string,
  handlers: string[],
  timeout = 30_000,
): Promise<void> {
  await waitDrained(
    [brokers],
    `${prefix}${topic}`,
    handlers.map((h) => `${prefix}${serviceName(h)}`),
    timeout,
    250,
  );
}

/** The differences the shop's reconciliation finds between the provider's ledger and its own records. */
export async function reconciled(url: string, pendingOlderThanSeconds = 0): Promise<unknown[]> {
  const res = await call(
    `${url}/api/v1/reconciliation?pending_older_than_seconds=${pendingOlderThanSeconds}`,
    'GET',
    undefined,
    { authorization: `Bearer ${GATEWAY_ADMIN}` },
  );
  if (res.status !== 200) throw new Error(`reconciliation: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.differences;
}
