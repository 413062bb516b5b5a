import { openPostgres } from '../../platform/sql/postgres.ts';
import { progress, type BenchPlan, type Figure } from './figure.ts';
import { bundle, startNode, type Started } from './processes.ts';
import { median } from './stats.ts';

/** The q-th quantile (0..1) of some numbers, nearest rank. */
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;

/**
 * Event lag over Kafka: checkouts one after another, each with payment, stock and basket functions
 * and both payment-completed handlers as their own processes; the lag of one is from the payment's
 * answer (its commit is done by then) until the client sees both effects (stock taken, basket
 * empty), polled every 2 ms.
 */
export async function eventLag(env: Record<string, string>, ports: number[], admin: string, plan: BenchPlan): Promise<Figure> {
  const sql = await openPostgres({ url: env.DATABASE_URL!, schema: env.DATABASE_SCHEMA });
  await sql.query("update products set stock = 1000000 where id = 'notebook'");
  await sql.close();
  const names = ['process-payment', 'add-to-basket', 'get-product', 'get-basket', 'product/on-payment-completed', 'basket/on-payment-completed'];
  const procs: Record<string, Started> = {};
  try {
    for (const [i, name] of names.entries()) procs[name] = await startNode(bundle(name), env, ports[i]!, '/health/ready');
    const json = { 'content-type': 'application/json', authorization: admin };
    const stock = async () => ((await (await fetch(`${procs['get-product']!.url}/api/v1/products/notebook`)).json()) as { stock: number }).stock;
    const basketEmpty = async (user: string) =>
      ((await (await fetch(`${procs['get-basket']!.url}/api/v1/baskets/${user}`, { headers: json })).json()) as { items: unknown[] }).items.length === 0;
    const count = plan.runs === 1 ? 20 : 100;
    const lags: number[] = [];
    let expected = await stock();
    for (let i = 0; i < count + 3; i++) {
      const user = `lag-${i}`;
      await fetch(`${procs['add-to-basket']!.url}/api/v1/baskets/add`, { method: 'POST', headers: json, body: JSON.stringify({ user_id: user, product_id: 'notebook', quantity: 1 }) });
      const res = await fetch(`${procs['process-payment']!.url}/api/v1/payments`, { method: 'POST', headers: json, body: JSON.stringify({ user_id: user, card: { number: '4242424242424242', holder: 'Lag', expiry: '12/30', cvv: '123' } }) });
      if (res.status !== 201) throw new Error(`payment answered ${res.status}: ${await res.text()}`);
      const t0 = performance.now();
      expected -= 1;
      let stockAt = 0;
      let basketAt = 0;
      while (!stockAt || !basketAt) {
        if (!stockAt && (await stock()) === expected) stockAt = performance.now();
        if (!basketAt && (await basketEmpty(user))) basketAt = performance.now();
        if (performance.now() - t0 > 30_000) throw new Error(`checkout ${i}: effects not seen within 30 s`);
        await new Promise((r) => setTimeout(r, 2));
      }
      // The first three warm the path up (connections, consumer fetch sessions) and are not counted.
      if (i >= 3) lags.push(Math.max(stockAt, basketAt) - t0);
      if (i % 20 === 0) progress(`event lag (Kafka): checkout ${i + 1}/${count + 3}`);
    }
    const p99 = quantile(lags, 0.99);
    return {
      name: 'Event lag over Kafka: payment answered → stock taken and basket cleared (p99)', unit: 'ms', value: Math.round(p99),
      target: { text: 'p99 ≤ 50 ms', met: p99 <= 50 },
      notes: `p50 ${Math.round(median(lags))} ms over ${lags.length} checkouts; includes the outbox relay's poll (OUTBOX_POLL_MS ${env.OUTBOX_POLL_MS ?? 100})`,
    };
  } finally {
    for (const p of Object.values(procs)) await p.stop();
  }
}
