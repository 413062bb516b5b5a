import { openPostgres } from '../../platform/sql/postgres.ts';
import { checkoutClient } from './checkout-client.ts';
import { progress, ratio, type BenchPlan, type Figure } from './figure.ts';
import { checkoutFunctions, startShop, type ShopKind } from './shop.ts';
import { median, quantile } from './stats.ts';

/** A product with stock enough for every checkout of the run (once a function has migrated the database). */
export async function stockUp(env: Record<string, string>, productId: string): Promise<void> {
  const sql = await openPostgres({ url: env.DATABASE_URL!, schema: env.DATABASE_SCHEMA });
  await sql.query('update products set stock = 1000000 where id = $1', [productId]);
  await sql.close();
}

/** When an effect was first seen: `at` if it was already, else now if `check` sees it now, else 0. */
const seenAt = async (at: number, check: () => Promise<boolean>) => at || ((await check()) ? performance.now() : 0);

const labels: Record<Exclude<ShopKind, 'embedded'>, { title: string; target: number }> = {
  kafka: { title: 'Event lag over Kafka', target: 50 },
  dapr: { title: 'Event lag through Dapr bindings', target: 100 },
};

/**
 * Event lag: checkouts one after another, each function of a checkout its own process (with a
 * daprd sidecar each under `dapr`); the lag of one is from the payment's answer (its commit is
 * done by then) until a client sees both effects (stock taken, basket empty), asked for together
 * again 1 ms after each answer.
 */
export async function eventLag(
  kind: 'kafka' | 'dapr',
  env: Record<string, string>,
  admin: string,
  plan: BenchPlan,
  kafkaAlone: { p50: number; p99: number },
): Promise<Figure> {
  const { title, target } = labels[kind];
  const shop = await startShop(kind, env, checkoutFunctions);
  try {
    await stockUp(env, 'notebook');
    const client = checkoutClient(shop, admin, 'notebook');
    // A p99 of 100 is its worst but one: 300 for a figure that holds from run to run.
    const count = plan.runs === 1 ? 20 : 300;
    const lags: number[] = [];
    let expected = await client.stock();
    for (let i = 0; i < count + 3; i++) {
      const user = `lag-${kind}-${i}`;
      await client.add(user);
      await client.pay(user);
      const t0 = performance.now();
      expected -= 1;
      let stockAt = 0;
      let basketAt = 0;
      // Both effects asked at once, again 1 ms after both answered.
      while (!stockAt || !basketAt) {
        [stockAt, basketAt] = await Promise.all([
          seenAt(stockAt, async () => (await client.stock()) === expected),
          seenAt(basketAt, () => client.basketEmpty(user)),
        ]);
        if (performance.now() - t0 > 30_000) throw new Error(`checkout ${i}: effects not seen within 30 s`);
        await new Promise((r) => setTimeout(r, 1));
      }
      // The first three warm the path up (connections, consumer fetch sessions) and are not counted.
      if (i >= 3) lags.push(Math.max(stockAt, basketAt) - t0);
      if (i % 50 === 0) progress(`${title.toLowerCase()}: checkout ${i + 1}/${count + 3}`);
    }
    const p99 = quantile(lags, 0.99);
    return {
      name: `${title}: payment answered → stock taken and basket cleared (p99)`,
      unit: 'ms',
      value: Math.round(p99),
      baseline: { name: 'Kafka alone, send → receive, p99', value: Math.round(kafkaAlone.p99 * 10) / 10 },
      ratio: ratio(p99, kafkaAlone.p99),
      target: { text: `p99 ≤ ${target} ms and ≤ 2.5 × Kafka alone`, met: p99 <= target && p99 <= 2.5 * kafkaAlone.p99 },
      notes: `p50 ${Math.round(median(lags))} ms (Kafka alone ${kafkaAlone.p50.toFixed(1)} ms) over ${lags.length} checkouts, both effects asked at once, again 1 ms after both answered; relay woken by the commit`,
    };
  } finally {
    await shop.stop();
  }
}
