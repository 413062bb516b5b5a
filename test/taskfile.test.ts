import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { routes, type FunctionName } from '../functions/routes.ts';
import { GATEWAY_ADMIN, startEmbedded, useShop } from './support/running-shop.ts';
import { toolsDir } from '../scripts/k8s/validate.ts';
import { waitHealthy } from '../scripts/topology.ts';
import { freePorts, requireTool } from './support/infra.ts';
import { copyPgliteTemplate } from './support/pglite-template.ts';

const root = new URL('..', import.meta.url).pathname;
const task = join(toolsDir(), 'task');
const ready = requireTool(
  'go-task',
  existsSync(task)
    ? { ok: true }
    : { ok: false, message: `task is not built at ${task}: build it with "npm run tools:install"` },
);
const env = { ...process.env, ADMIN_TOKEN: GATEWAY_ADMIN, LOG_LEVEL: 'warn' };
const run = promisify(execFile);

/** `task invoke -- <name> '<json>' <url>`: the status line and the JSON it printed. */
async function invoke(name: string, input: object, url: string): Promise<{ status: number; body: any }> {
  const { stdout } = await run(task, ['invoke', '--', name, JSON.stringify(input), url], { cwd: root, env }).catch(
    (e) => e as { stdout: string },
  );
  const [first = '', ...rest] = stdout.trim().split('\n');
  return {
    status: Number(first.split(' ')[0]),
    body: rest.length && rest[0] !== '(no body)' ? JSON.parse(rest.join('\n')) : undefined,
  };
}

/** A function served alone by `task fn`, on a free port with its own database. */
interface Alone {
  url: string;
  stop(): Promise<void>;
}

/** `task fn -- <name>` on a free port and a fresh PGlite folder; resolves once it is healthy. */
async function serveAlone(name: FunctionName): Promise<Alone> {
  const dir = await mkdtemp(join(tmpdir(), 'daprps-task-fn-'));
  await copyPgliteTemplate(dir);
  const [port] = await freePorts(1);
  const fn = spawn(task, ['fn', '--', name], {
    cwd: root,
    env: { ...env, PORT: String(port), DATA_DIR: dir },
    detached: true,
    stdio: 'ignore',
  });
  const stop = async () => {
    process.kill(-fn.pid!, 'SIGTERM'); // task, npm, tsx and the function: one process group
    await new Promise((r) => (fn.exitCode === null ? fn.once('exit', r) : r(undefined)));
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(`${url}/health`, fn, `task fn -- ${name}`, 60_000).catch(async (e) => {
    await stop().catch(() => undefined);
    throw e;
  });
  return { url, stop };
}

const card = { number: '4242424242424242', holder: 'Tia Task', expiry: '12/30', cvv: '123' };
const line = {
  product_id: 'kettle',
  name: 'Kettle',
  unit_price: { amount_minor: 5900, currency: 'USD' },
  quantity: 1,
  line_total: { amount_minor: 5900, currency: 'USD' },
};
const paid = (paymentId: string) => ({
  payment_id: paymentId,
  order_id: 'o1',
  user_id: 'tia',
  amount: line.line_total,
  items: [line],
  completed_at: '2026-01-01T00:00:00Z',
});

describe.runIf(ready)('the Taskfile: task invoke for every function, task fn for one alone', () => {
  const shop = useShop(() => startEmbedded(), ready);

  it('invokes every function of the route table with JSON, event handlers with a CloudEvent', async () => {
    const done = new Set<FunctionName>();
    const ok = async (name: FunctionName, input: object, url = shop.url) => {
      const res = await invoke(name, input, url);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
      done.add(name);
      return res.body;
    };
    await ok('list-products', { category: 'kitchen', limit: 2 });
    await ok('get-product', { id: 'kettle' });
    const created = await ok('create-product', {
      name: 'Task Kettle',
      description: 'From task',
      category: 'kitchen',
      price: { amount_minor: 3900, currency: 'USD' },
      stock: 5,
    });
    await ok('update-product', { id: created.id, name: 'Task Kettle 2' });
    expect((await ok('adjust-stock', { id: created.id, delta: 2 })).stock).toBe(7);
    await ok('delete-product', { id: created.id });
    await ok('add-to-basket', { user_id: 'tia', product_id: 'kettle', quantity: 2 });
    await ok('remove-from-basket', { user_id: 'tia', product_id: 'kettle', quantity: 1 });
    expect((await ok('get-basket', { user_id: 'tia' })).items).toHaveLength(1);
    const payment = await ok('process-payment', { user_id: 'tia', card, idempotency_key: 'task-1' });
    expect((await ok('get-payment', { id: payment.id })).status).toBe('completed');
    await ok('refund-payment', { id: payment.id, amount_minor: 100, reason: 'task' });
    // Connect's JSON leaves an empty list out: no `differences` is none.
    const reconciled = await ok('reconcile-payments', {});
    expect([reconciled.differences ?? [], Number(reconciled.provider.refundedMinor)]).toEqual([[], 100]);
    await ok('add-to-basket', { user_id: 'tia', product_id: 'kettle', quantity: 1 });
    await ok('clear-basket', { user_id: 'tia' });
    // Event handlers are not on the edge: each is invoked where it is served alone (task fn),
    // with the app API token its sidecar would present.
    expect((await invoke('product/on-payment-completed', paid('task-p0'), shop.url)).status).toBe(404);
    const alone = await Promise.all(
      (['product/on-payment-completed', 'basket/on-payment-completed', 'payment/on-stock-rejected'] as const).map(
        serveAlone,
      ),
    );
    try {
      const [product, basket, refunds] = alone as [Alone, Alone, Alone];
      await ok('product/on-payment-completed', paid('task-p1'), product.url);
      await ok('basket/on-payment-completed', paid('task-p2'), basket.url);
      const rejected = {
        payment_id: 'task-p1',
        order_id: 'o1',
        user_id: 'tia',
        product_id: 'kettle',
        requested: 1,
        available: 0,
        rejected_at: '2026-01-01T00:00:00Z',
      };
      // Its own database holds no payment task-p1: the handler ran and says so.
      expect(await invoke('payment/on-stock-rejected', rejected, refunds.url)).toMatchObject({
        status: 404,
        body: { error: { message: 'payment task-p1 not found' } },
      });
      done.add('payment/on-stock-rejected');
    } finally {
      await Promise.all(alone.map((a) => a.stop()));
    }
    expect([...done].sort()).toEqual(Object.keys(routes).sort());
    expect((await invoke('get-product', { id: 'no-such-product' }, shop.url)).status).toBe(404);
  }, 180_000);

  it('serves one function alone with task fn', async () => {
    const fn = await serveAlone('get-product');
    try {
      expect(await fetch(`${fn.url}/health`).then((r) => r.json())).toMatchObject({ function: 'get-product' });
      expect(await invoke('get-product', { id: 'kettle' }, fn.url)).toMatchObject({
        status: 200,
        body: { id: 'kettle' },
      });
    } finally {
      await fn.stop();
    }
  }, 90_000);
});
