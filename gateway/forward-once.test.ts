import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountFunctions } from '../functions/mount-functions.ts';
import { definitionsOf } from '../functions/registry.ts';
import type { FunctionName } from '../functions/routes.ts';
import { loadConfig } from '../platform/config.ts';
import { createHttpApp } from '../platform/http/create-http-app.ts';
import { serve, type Server } from '../platform/http/serve.ts';
import { aProduct, testDeps } from '../test/support/function-deps.ts';
import { call, GATEWAY_ADMIN } from '../test/support/running-shop.ts';
import { recordingDeadLetters, testLog } from '../test/support/test-log.ts';
import { createGateway } from './create-gateway.ts';
import { envSuffix } from './function-urls.ts';

/**
 * A replica that runs every request to its end and then dies before it answers (a pod killed
 * mid-answer, an OOM, a node drain): a TCP relay in front of a live replica that resets the
 * client's connection when the answer's first bytes come back.
 */
async function dyingAfterCommit(target: number) {
  const state = { killed: 0 };
  const relay = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.pipe(upstream);
    upstream.once('data', () => {
      state.killed++;
      upstream.destroy();
      client.resetAndDestroy();
    });
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  return { state, port: (relay.address() as net.AddressInfo).port, close: () => relay.close() };
}

describe('a forwarded request that may have run is not sent again', () => {
  const deps = testDeps();
  const closers: (() => unknown)[] = [];
  let url = '';
  let liveUrl = '';
  let dying: Awaited<ReturnType<typeof dyingAfterCommit>>;
  const admin = { authorization: `Bearer ${GATEWAY_ADMIN}` };

  beforeAll(async () => {
    await deps.products.insert([aProduct({ id: 'mug', stock: 5, price: { amount_minor: 1000, currency: 'USD' } })]);
    const names: FunctionName[] = ['add-to-basket', 'process-payment', 'refund-payment', 'get-payment'];
    const app = createHttpApp({ log: testLog, bodyLimitBytes: 65536 });
    const rpc = mountFunctions({
      app,
      defs: definitionsOf(names),
      deps,
      deadLetters: recordingDeadLetters(),
      config: { adminToken: GATEWAY_ADMIN, auth: { mode: 'off' }, bodyLimitBytes: 65536, kafkaPrefix: '' },
      log: testLog,
    });
    const live: Server = await serve({ fetch: app.fetch, rpc, port: 0, host: '127.0.0.1' });
    closers.push(() => live.close());
    liveUrl = `http://127.0.0.1:${live.port}`;
    dying = await dyingAfterCommit(live.port);
    closers.push(dying.close);
    // The dying replica first, as round robin may pick it; the live one second.
    const env: Record<string, string> = {
      FUNCTION_URL_TEMPLATE: 'http://127.0.0.1:1/{name}',
      ADMIN_TOKEN: GATEWAY_ADMIN,
    };
    for (const name of names)
      env[`FUNCTION_URL_${envSuffix(name)}`] =
        name === 'add-to-basket'
          ? `http://127.0.0.1:${live.port}`
          : `http://127.0.0.1:${dying.port},http://127.0.0.1:${live.port}`;
    const gw = createGateway(loadConfig(env), testLog);
    const server = await serve({ fetch: gw.app.fetch, port: 0, host: '127.0.0.1' });
    closers.push(() => server.close());
    url = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  const card = { number: '4242424242424242', holder: 'A B', expiry: '12/30', cvv: '123' };
  /** A completed payment of 2 mugs (2,000), made at the live replica. */
  const aPayment = async (user: string): Promise<string> => {
    await call(`${liveUrl}/api/v1/baskets/add`, 'POST', { user_id: user, product_id: 'mug', quantity: 2 });
    const paid = await call(`${liveUrl}/api/v1/payments`, 'POST', { user_id: user, card });
    expect(paid.status).toBe(201);
    return paid.body.id;
  };
  const ledger = async (kind: 'charge' | 'refund', key: string) =>
    (await deps.provider.ledger()).filter((e) => e.kind === kind && (kind === 'charge' ? e.key : e.charge) === key);

  it('charges once: a payment without an Idempotency-Key whose replica died after charging answers 502', async () => {
    const added = await call(`${url}/api/v1/baskets/add`, 'POST', { user_id: 'ann', product_id: 'mug', quantity: 2 });
    expect(added.status).toBe(200);
    const paid = await call(`${url}/api/v1/payments`, 'POST', { user_id: 'ann', card });
    expect(paid).toMatchObject({ status: 502, body: { error: { code: 'bad_gateway' } } });
    expect(dying.state.killed).toBe(1);
    const charges = (await deps.provider.ledger()).filter((e) => e.kind === 'charge');
    expect(charges).toHaveLength(1);
    expect((await deps.payments.get(charges[0]!.key))?.status).toBe('completed');
  });

  it('refunds once: a refund whose replica died after refunding answers 502, and is not made twice', async () => {
    const paymentId = await aPayment('bo');
    const killed = dying.state.killed;
    const refunded = await call(`${url}/api/v1/payments/${paymentId}/refund`, 'POST', { amount_minor: 1000 }, admin);
    expect(refunded).toMatchObject({ status: 502, body: { error: { code: 'bad_gateway' } } });
    expect(dying.state.killed).toBe(killed + 1);
    expect((await deps.payments.get(paymentId))?.refunded.amount_minor).toBe(1000);
    expect(await ledger('refund', paymentId)).toHaveLength(1);
  });

  it('asks a read again once: a GET whose replica died mid-answer is answered by the next one', async () => {
    const paymentId = await aPayment('cy');
    const killed = dying.state.killed;
    const read = await call(`${url}/api/v1/payments/${paymentId}`, 'GET', undefined, admin);
    expect(read).toMatchObject({ status: 200, body: { id: paymentId, status: 'completed' } });
    expect(dying.state.killed).toBe(killed + 1);
  });
});
