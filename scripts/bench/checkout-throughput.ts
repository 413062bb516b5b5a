import { checkoutClient, type CheckoutClient } from './checkout-client.ts';
import { stockUp } from './event-lag.ts';
import { progress, ratio, type BenchPlan, type Figure } from './figure.ts';
import { checkoutFunctions, startShop, type ShopKind } from './shop.ts';
import { median, spread } from './stats.ts';

/**
 * Complete checkouts per second: `count` checkouts by `concurrency` clients at once, each adding
 * to its own basket and paying; the clock stops when every effect is visible (stock down by
 * `count`, every basket empty).
 */
async function checkouts(client: CheckoutClient, tag: string, count: number, concurrency: number): Promise<number> {
  const before = await client.stock();
  const users = Array.from({ length: count }, (_, i) => `${tag}-${i}`);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < users.length) {
        const user = users[next++]!;
        await client.add(user);
        await client.pay(user);
      }
    }),
  );
  // The effects, in the order the checkouts were made: the first basket not yet emptied is asked
  // again every 5 ms, the ones before it are not asked again (asking all at once, 1000 requests
  // every 5 ms, took the machine from the handlers being measured).
  let seen = 0;
  for (;;) {
    while (seen < users.length && (await client.basketEmpty(users[seen]!))) seen++;
    if (seen === users.length && (await client.stock()) === before - count) break;
    if (performance.now() - t0 > 120_000)
      throw new Error(`${tag}: effects of ${users.length - seen} checkouts not seen within 120 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return (count / (performance.now() - t0)) * 1000;
}

/** Runs of checkouts on a shop of `kind`: the warm-up run is discarded; checkouts/s of each. */
async function measure(
  kind: ShopKind,
  env: Record<string, string>,
  admin: string,
  plan: BenchPlan,
  count: number,
): Promise<number[]> {
  const shop = await startShop(kind, env, checkoutFunctions);
  try {
    await stockUp(env, 'desk-lamp');
    const client = checkoutClient(shop, admin, 'desk-lamp');
    await checkouts(client, `tp-${kind}-warm`, Math.ceil(count / 4), 8);
    const rates: number[] = [];
    for (let run = 0; run < plan.runs; run++) {
      rates.push(await checkouts(client, `tp-${kind}-${run}`, count, 8 * (plan.connections >= 50 ? 2 : 1)));
      progress(`checkout throughput (${kind}): run ${run + 1}/${plan.runs}: ${Math.round(rates.at(-1)!)} checkouts/s`);
    }
    return rates;
  } finally {
    await shop.stop();
  }
}

/**
 * The target: splitting the shop into a process per function costs at most a fifth of the
 * checkouts one process does on the same infrastructure (the hops and the extra relays are the
 * price of scaling each function on its own).
 */
const MIN_SPLIT_RATIO = 0.8;

/**
 * Checkout throughput with every function its own process on PostgreSQL, Redis and Kafka, ÷ the
 * same checkouts with every function in one process (the gateway's embedded mode) on the same
 * infrastructure: what splitting into functions costs.
 */
export async function checkoutThroughput(env: Record<string, string>, admin: string, plan: BenchPlan): Promise<Figure> {
  const count = plan.runs === 1 ? 100 : 1000;
  const split = await measure('kafka', env, admin, plan, count);
  const together = await measure('embedded', env, admin, plan, count);
  const value = median(split);
  const baseline = median(together);
  return {
    name: 'Checkout throughput: add, pay, both effects applied; every function its own process',
    unit: 'checkouts/s',
    value,
    baseline: { name: 'every function in one process, same infrastructure', value: baseline },
    ratio: ratio(value, baseline),
    target: { text: `ratio ≥ ${MIN_SPLIT_RATIO}`, met: ratio(value, baseline) >= MIN_SPLIT_RATIO },
    notes: `(the 2× over the code before 2026-11-30 was measured side by side: bench/optimizations.md #36–40); ${count} checkouts per run, ${plan.runs} run(s) after a warm-up, ${8 * (plan.connections >= 50 ? 2 : 1)} clients at once; spread ${spread(split).pct}% / ${spread(together).pct}%`,
  };
}
