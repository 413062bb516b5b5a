import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/support/infra.ts';
import { copyPgliteTemplate } from '../test/support/pglite-template.ts';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');

/** The bearer token the served function's /metrics asks for. */
const METRICS_TOKEN = 'metrics-token-0123456789';

/** Starts `serve-one.ts <name>` as a real process on a free port; resolves with its URL once it listens. */
async function startAlone(name: string, dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  await copyPgliteTemplate(dataDir);
  const child = spawn(tsx, ['functions/serve-one.ts', name], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', METRICS_TOKEN },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /"url":"(http:[^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${out}`)));
  });
  return { url, child };
}

/**
 * Runs `invoke-cli.ts` (at `url` when given; `env` added to the environment); resolves with its
 * output and exit code, whatever the code.
 */
const invoke = (
  name: string,
  json: string,
  url?: string,
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string; code: number }> =>
  run(tsx, ['functions/invoke-cli.ts', name, json, ...(url ? [url] : [])], {
    cwd: root,
    env: { ...process.env, ...env },
  }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }),
  );

describe('a function served alone and invoked with JSON', () => {
  const children: ChildProcess[] = [];
  let dataDir = '';
  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves get-product on its own, with its own seeded database', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'daprps-fn-'));
    const { url, child } = await startAlone('get-product', join(dataDir, 'products'));
    children.push(child);
    const ok = await invoke('get-product', '{"id":"kettle"}', url);
    expect(ok.stdout).toContain('200 /shop.product.v1.ProductService/GetProduct');
    expect(ok.stdout).toContain('"name": "Gooseneck Kettle"');
    const missing = await invoke('get-product', '{"id":"nope"}', url);
    expect(missing.stdout).toContain('404');
    expect(missing.code).toBe(1);
    // Without a URL, invoke calls the port in PORT, as the function was served with.
    const onPort = await invoke('get-product', '{"id":"kettle"}', undefined, { PORT: new URL(url).port });
    expect(onPort).toMatchObject({ code: 0, stderr: '' });
    expect(onPort.stdout).toContain('"name": "Gooseneck Kettle"');
    const rest = await fetch(`${url}/api/v1/products/kettle`);
    expect(rest.status).toBe(200);
    expect((await fetch(`${url}/api/v1/baskets/alice`)).status).toBe(404);
    // Its own health (readiness checks only what it needs) and metrics, for the holder of METRICS_TOKEN only.
    expect(await (await fetch(`${url}/health/ready`)).json()).toMatchObject({
      status: 'ok',
      function: 'get-product',
      checks: { database: { ok: true } },
    });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const metrics = await (
      await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toContain('http_requests_total{route="/api/v1/products/:id",method="GET",status="200"} 1');
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
  }, 60_000);

  it('says which URL invoke tried, and how to point it elsewhere, when nothing answers there', async () => {
    const port = String(await freePort());
    const res = await invoke('get-product', '{"id":"kettle"}', undefined, { PORT: port });
    expect(res.code).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(
      `could not reach get-product at http://127.0.0.1:${port}/shop.product.v1.ProductService/GetProduct (ECONNREFUSED)`,
    );
    expect(res.stderr).toContain(
      "a third argument (npm run invoke -- get-product '<json>' http://<host>:<port>), or PORT=<port>",
    );
    expect(res.stderr).not.toContain('fetch failed');
  }, 30_000);

  it('serves an event handler on its binding route and applies an invoked event', async () => {
    const { url, child } = await startAlone('product/on-payment-completed', join(dataDir, 'events'));
    children.push(child);
    const item = {
      product_id: 'kettle',
      name: 'Kettle',
      unit_price: { amount_minor: 5900, currency: 'USD' },
      quantity: 2,
      line_total: { amount_minor: 11800, currency: 'USD' },
    };
    const data = {
      payment_id: 'p1',
      order_id: 'o1',
      user_id: 'alice',
      amount: item.line_total,
      items: [item],
      completed_at: '2026-01-01T00:00:00Z',
    };
    const res = await invoke('product/on-payment-completed', JSON.stringify(data), url);
    expect(res.stdout).toContain('200 /product-payment-completed');
    const bad = await invoke('product/on-payment-completed', '{"payment_id":"p1"}', url);
    expect(bad.stdout).toContain('400');
    // Without the app API token (invoke presents the development one, as the sidecar would), 401.
    const event = {
      specversion: '1.0',
      id: 'forged',
      source: '/x',
      type: 'shop.events.v1.PaymentCompleted',
      time: '2026-01-01T00:00:00Z',
      datacontenttype: 'application/json',
      data: { ...data, paymentId: 'p2' },
    };
    for (const token of [undefined, 'not-the-token-at-all-0123456789']) {
      const res = await fetch(`${url}/product-payment-completed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { 'dapr-api-token': token } : {}) },
        body: JSON.stringify(event),
      });
      expect(res.status).toBe(401);
    }
  }, 60_000);
});
