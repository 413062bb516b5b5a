import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { routes, type FunctionName } from '../../functions/routes.ts';
import { topics } from '../../functions/events/topics.ts';
import { signToken } from '../../platform/auth.ts';
import { ensureTopics } from '../../platform/events/kafka-bus.ts';
import { openPostgres } from '../../platform/sql/postgres.ts';
import { freePorts } from '../../test/support/infra.ts';
import { deleteTopics } from '../../test/support/prune-topics.ts';
import { compareLoad, type Compared } from './compare-load.ts';
import { checkoutThroughput } from './checkout-throughput.ts';
import { eventLag } from './event-lag.ts';
import { gatewayLatency } from './gateway-latency.ts';
import { kafkaRoundTrip } from './kafka-round-trip.ts';
import { plans, progress, ratio, type Figure } from './figure.ts';
import { bundle, startNode, type Started } from './start-process.ts';
import { table, writeResults } from './report.ts';
import { asInTheImage, type AsInTheImage } from './as-in-the-image.ts';
import { infra } from './infra.ts';
import { median, spread } from './stats.ts';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const plan = plans[quick ? 'quick' : 'full'];
/** The figures of the whole run, in order; `--only a,b` runs some (and writes no results files). */
const sections = ['catalog', 'gateway', 'latency', 'basket', 'lag', 'dapr-lag', 'checkout', 'cold'] as const;
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = new Set(onlyArg ? onlyArg.split(',') : sections);
for (const name of only)
  if (!(sections as readonly string[]).includes(name))
    throw new Error(`--only: unknown figure ${name}; one of ${sections.join(', ')}`);

const processes: Started[] = [];
const started = async (p: Promise<Started>) => {
  const s = await p;
  processes.push(s);
  return s;
};

async function main() {
  progress(
    `plan: ${quick ? 'quick' : 'full'} (${plan.runs} run(s) of ${plan.seconds} s, ${plan.connections} connections, ${plan.coldStarts} cold starts)`,
  );
  const urls = await infra();
  if (only.has('dapr-lag')) {
    progress('daprd (built once, cached: scripts/dapr/install.sh)');
    await run('bash', ['scripts/dapr/install.sh'], { maxBuffer: 16 * 1024 * 1024 });
  }
  progress('building the bundles (npm run build)');
  await run('npm', ['run', '-s', 'build'], { maxBuffer: 16 * 1024 * 1024 });
  const id = `bench_${Date.now()}`;
  const env: Record<string, string> = {
    DATABASE_URL: urls.DATABASE_URL!,
    DATABASE_SCHEMA: id,
    REDIS_URL: urls.REDIS_URL!,
    REDIS_PREFIX: `${id}:`,
    KAFKA_BROKERS: urls.KAFKA_BROKERS!,
    KAFKA_PREFIX: `${id}.`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'error',
    // The limiter runs (its Redis round trip is part of the gateway's cost) but never refuses:
    // at these rates a burst alone would be spent within the run (429s in later sections).
    RATE_LIMIT_BURST: '1000000',
    RATE_LIMIT_PER_MINUTE: '1000000',
  };
  await ensureTopics(
    [env.KAFKA_BROKERS!],
    Object.keys(topics).map((t) => `${env.KAFKA_PREFIX}${t}`),
  );
  const admin = `Bearer ${await signToken(env.JWT_SECRET!, 'bench-admin', { admin: true, expiresInSeconds: 3600 })}`;
  const ports = await freePorts(8);
  const figures: Figure[] = [];
  try {
    if (only.has('catalog') || only.has('gateway') || only.has('latency'))
      await section('catalog, gateway and latency', figures, async () => {
        // Catalog read: list-products on PostgreSQL vs a bare Hono handler with the same JSON in memory.
        const list = await started(startNode(bundle('list-products'), env, ports[0]!, '/health/ready'));
        if (only.has('catalog')) {
          const catalog = await (await fetch(`${list.url}/api/v1/products?limit=20`)).text();
          const memory = await started(
            startNode(
              ['--import', 'tsx', 'scripts/bench/memory-catalog.ts'],
              { CATALOG_JSON: catalog },
              ports[1]!,
              '/health/live',
            ),
          );
          const read = await compareLoad(
            'catalog read',
            plan,
            { url: `${list.url}/api/v1/products?limit=20` },
            { url: `${memory.url}/api/v1/products` },
          );
          figures.push(
            loadFigure(
              'Catalog read: list-products (PostgreSQL, 20 items) ÷ bare Hono from memory',
              read,
              { name: 'bare Hono, same JSON from memory', short: 'bare' },
              0.6,
            ),
          );
        }
        if (only.has('gateway') || only.has('latency')) {
          // Gateway overhead: the same read through the gateway (forwarding over HTTP) vs direct.
          const gateway = await started(
            startNode(
              ['dist/main.mjs'],
              { ...env, FUNCTION_URL_TEMPLATE: 'http://127.0.0.1:1/{name}', FUNCTION_URL_LIST_PRODUCTS: list.url },
              ports[2]!,
              '/health/live',
            ),
          );
          const edge = only.has('gateway')
            ? await compareLoad(
                'gateway overhead',
                plan,
                { url: `${gateway.url}/api/v1/products?limit=20` },
                { url: `${list.url}/api/v1/products?limit=20` },
              )
            : undefined;
          if (edge)
            figures.push(
              loadFigure(
                'Gateway overhead: GET /api/v1/products through the gateway ÷ the function directly',
                edge,
                { name: 'list-products directly', short: 'direct' },
                0.7,
              ),
            );
          // The floor of any proxy hop here: a bare node:http proxy in front of the same function.
          if (only.has('gateway')) {
            const proxy = await started(
              startNode(['scripts/bench/bare-proxy.mjs'], { UPSTREAM: list.url }, ports[6]!, '/health/live'),
            );
            const floor = await compareLoad(
              'bare proxy',
              plan,
              { url: `${proxy.url}/api/v1/products?limit=20` },
              { url: `${list.url}/api/v1/products?limit=20` },
            );
            figures.push({
              name: 'Bare Node HTTP proxy: GET /api/v1/products through 20 lines of node:http ÷ the function directly',
              unit: 'req/s',
              value: floor.rps,
              baseline: { name: 'list-products directly', value: floor.baselineRps },
              ratio: floor.ratio,
              notes: `what one proxy hop costs on this machine before the gateway does anything (scripts/bench/bare-proxy.mjs: no routing, limits, tracing, metrics or logs); p99 ${floor.p99} ms (direct ${floor.baselineP99} ms); ${floor.spread}; ${floor.failed} failed`,
            });
          }
          // Latency at fixed rates (open loop): 1,000 req/s and half of the gateway's capacity just measured.
          if (only.has('latency'))
            figures.push(...(await gatewayLatency(plan, '/api/v1/products?limit=20', list, gateway, edge?.rps)));
        }
      });

    if (only.has('basket'))
      await section('basket writes', figures, async () => {
        // Basket writes: add-to-basket on Redis, a different user each request (an admin token may act for any).
        const add = await started(startNode(bundle('add-to-basket'), env, ports[3]!, '/health/ready'));
        const bare = await started(
          startNode(
            ['--import', 'tsx', 'scripts/bench/bare-basket.ts'],
            { REDIS_URL: env.REDIS_URL!, REDIS_PREFIX: env.REDIS_PREFIX! },
            ports[4]!,
            '/health/live',
          ),
        );
        const write = {
          method: 'POST',
          distinct: 1_000_000,
          headers: { 'content-type': 'application/json', authorization: admin },
          body: '{"user_id":"bench-{n}","product_id":"kettle","quantity":1}',
        } as const;
        const writes = await compareLoad(
          'basket writes',
          plan,
          { url: `${add.url}/api/v1/baskets/add`, ...write },
          { url: `${bare.url}/api/v1/baskets/add`, ...write },
        );
        figures.push({
          name: 'Basket writes: add-to-basket on Redis ÷ a bare Hono handler with one Redis command',
          unit: 'req/s',
          value: writes.rps,
          baseline: { name: 'bare Hono + HINCRBY, same requests', value: writes.baselineRps },
          ratio: writes.ratio,
          target: { text: 'ratio ≥ 0.40', met: writes.ratio >= 0.4 && writes.failed === 0 },
          notes: `p99 ${writes.p99} ms (bare ${writes.baselineP99} ms); ${writes.spread}; ${writes.failed} failed; add-to-basket also checks the token, validates, checks the stock and prices the basket (catalog cache), sets its expiry`,
        });
      });

    if (only.has('lag') || only.has('dapr-lag'))
      await section('event lag', figures, async () => {
        const kafkaAlone = await kafkaRoundTrip(
          [env.KAFKA_BROKERS!],
          `${env.KAFKA_PREFIX}bench-round-trip`,
          // Its p99 is the lag figures' baseline: over 500 messages, not the worst of a hundred.
          plan.runs === 1 ? 20 : 500,
        );
        if (only.has('lag'))
          await section('event lag over Kafka', figures, () => eventLag('kafka', env, admin, plan, kafkaAlone));
        if (only.has('dapr-lag'))
          await section('event lag through Dapr', figures, () => eventLag('dapr', env, admin, plan, kafkaAlone));
      });
    if (only.has('checkout')) await section('checkout throughput', figures, () => checkoutThroughput(env, admin, plan));
    if (only.has('cold')) await section('cold starts', figures, () => coldStarts(env, ports));
  } finally {
    for (const p of processes.splice(0)) await p.stop().catch(() => undefined);
    const sql = await openPostgres({ url: env.DATABASE_URL! });
    await sql.exec(`drop schema if exists ${id} cascade`);
    await sql.close();
    await deleteTopics([env.KAFKA_BROKERS!], (topic) => topic.startsWith(env.KAFKA_PREFIX!));
  }
  if (onlyArg) console.log(`\n${table(figures)}\n\n(--only: bench/results.* left as they were)`);
  else await writeResults(figures, { quick, plan });
}

/**
 * Runs one section of the bench, adding what it returns to `figures`. A section that fails is
 * kept as a failed figure with its error (the rest of the run goes on): a run that failed shows
 * as such, never as an older run's numbers.
 */
async function section(
  name: string,
  figures: Figure[],
  run: () => Promise<Figure | Figure[]> | Promise<void>,
): Promise<void> {
  try {
    const got = await run();
    if (got) figures.push(...[got].flat());
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    progress(`${name}: FAILED: ${error}`);
    console.error(e);
    figures.push({
      name: `${name[0]!.toUpperCase()}${name.slice(1)}: the run failed`,
      unit: '',
      value: Number.NaN,
      failed: error,
      notes: '',
    });
  } finally {
    for (const p of processes.splice(0)) await p.stop().catch(() => undefined);
  }
}

/** A requests/s figure against its baseline, with a minimum ratio as its target. */
function loadFigure(name: string, r: Compared, baseline: { name: string; short: string }, minRatio: number): Figure {
  return {
    name,
    unit: 'req/s',
    value: r.rps,
    baseline: { name: baseline.name, value: r.baselineRps },
    ratio: r.ratio,
    target: { text: `ratio ≥ ${minRatio.toFixed(2)}`, met: r.ratio >= minRatio && r.failed === 0 },
    notes: `p99 ${r.p99} ms (${baseline.short} ${r.baselineP99} ms); ${r.spread}; ${r.failed} failed`,
  };
}

/**
 * Cold start per function (spawn → first ready answer) ÷ a bare Node HTTP server's, and idle
 * memory. Both run as the image runs node (asInTheImage: its NODE_ENV and NODE_OPTIONS, the module
 * compile cache warmed as its build warms it); the bare server's first start, not counted, puts
 * its one module in that cache too. Each function's starts alternate with the bare server's.
 */
async function coldStarts(env: Record<string, string>, ports: number[]): Promise<Figure[]> {
  const image = await asInTheImage();
  try {
    return await coldStartsAs(image, env, ports);
  } finally {
    await image.close();
  }
}

async function coldStartsAs(image: AsInTheImage, env: Record<string, string>, ports: number[]): Promise<Figure[]> {
  const startBare = () => startNode(['scripts/bench/bare-server.mjs'], image.env, ports[4]!, '/');
  // Not counted: its first start puts the bare server's module in the compile cache. Its memory.
  const first = await startBare();
  await new Promise((r) => setTimeout(r, 2_000));
  const bareRss = await first.rssMb();
  const bareAnon = await first.anonMb();
  await first.stop();
  progress(`bare Node HTTP server: idle ${Math.round(bareRss)} MB (${image.text})`);
  const figures: Figure[] = [];
  const names = Object.keys(routes) as FunctionName[];
  for (const [i, name] of names.entries()) {
    // The bare server and the function in turns, so that both see the same machine (other
    // processes share it): each function has its own baseline, measured alongside it.
    const bare: number[] = [];
    const times: number[] = [];
    let rss = 0;
    let anon = 0;
    for (let k = 0; k < plan.coldStarts; k++) {
      const b = await startBare();
      bare.push(b.startMs);
      await b.stop();
      const p = await startNode(bundle(name), { ...env, ...image.env }, ports[5]!, '/health/ready');
      times.push(p.startMs);
      if (k === plan.coldStarts - 1) {
        await new Promise((r) => setTimeout(r, 2_000));
        rss = await p.rssMb();
        anon = await p.anonMb();
      }
      await p.stop();
    }
    const ms = median(times);
    const baseline = median(bare);
    progress(
      `cold start ${i + 1}/${names.length} ${name}: ${Math.round(ms)} ms (bare ${Math.round(baseline)} ms), idle ${Math.round(rss)} MB`,
    );
    const r = ratio(ms, baseline);
    figures.push({
      name: `Cold start: ${name}`,
      unit: 'ms',
      value: Math.round(ms),
      baseline: { name: 'bare Node HTTP server, in turns with it', value: Math.round(baseline) },
      ratio: r,
      target: { text: 'ratio ≤ 2.0 and median < 250 ms', met: r <= 2 && ms < 250 },
      notes: `spread ${spread(times).pct}% (bare ${spread(bare).pct}%); both ${image.text}`,
    });
    figures.push({
      name: `Idle memory: ${name}`,
      unit: 'MB RSS',
      value: Math.round(rss),
      baseline: { name: 'bare Node HTTP server', value: Math.round(bareRss) },
      ratio: ratio(rss, bareRss),
      target: { text: '≤ 60 MB', met: rss <= 60 },
      notes: `after healthy + 2 s idle; its own (anonymous) ${Math.round(anon)} MB, bare ${Math.round(bareAnon)} MB, the rest node's binary and other mapped files; both ${image.text}`,
    });
  }
  return figures;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
