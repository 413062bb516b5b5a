import { readFile } from 'node:fs/promises';
import type { BenchPlan, Figure } from './figure.ts';
import { progress, ratio } from './figure.ts';
import { load } from './load.ts';
import { rateLoad, type RateResult } from './rate-load.ts';
import { median, spread } from './stats.ts';

/**
 * The fixed rates: 1,000 req/s (the rate of Dapr's published sidecar figures, +1.4 ms p90 and
 * +2.1 ms p99 for its pair of sidecars) and half of the gateway's own closed-loop capacity,
 * measured in the same run: rates the path can carry, so what the gateway adds is its own cost
 * and short queues, not a backlog. A run the gateway cannot carry is reported as saturated.
 */
const FIXED_RATE = 1_000;
const FRACTION = 0.5;
/** The targets at each rate: 1,000 req/s as the edge issue sets them; half capacity as before. */
const TARGETS = { fixed: { p50: 0.5, p99: 1 }, half: { p50: 1, p99: 2 } } as const;
/** Connections the open-loop generator may open to each server (a request due while all are busy waits, counted). */
const CONNECTIONS = 64;

/** A process under load: where it answers, and its pid (for its CPU time). */
interface Measured {
  url: string;
  child: { pid?: number | undefined };
}

/** CPU seconds (user + system) a process has used, from Linux /proc (clock ticks of 10 ms). */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * One open-loop run after its own warm-up, with the CPU each process used per answered request
 * (µs): the counters are read around the measured seconds only, divided by the requests answered.
 */
async function measuredRun(url: string, opts: Parameters<typeof rateLoad>[1], processes: Measured[]) {
  await rateLoad(url, { ...opts, seconds: opts.warmupSeconds, warmupSeconds: 0 });
  const before = await Promise.all(processes.map((p) => cpuSeconds(p.child.pid)));
  const r = await rateLoad(url, { ...opts, warmupSeconds: 0 });
  const after = await Promise.all(processes.map((p) => cpuSeconds(p.child.pid)));
  const answered = Math.max(1, r.answered - r.non2xx);
  return { ...r, cpuUs: after.map((a, i) => Math.round(((a - before[i]!) * 1e6) / answered)) };
}

/**
 * Latency at fixed rates, open loop (scripts/bench/open-loop-worker.ts): GET /api/v1/products at
 * 1,000 req/s and at half of the gateway's closed-loop capacity (`capacity`, measured in the same
 * run; measured here when not given), straight to the function and through the gateway in
 * alternation. Figures per rate: what the gateway adds at p50 and p99, and the CPU each used per
 * answered request; the catalog read's own p99 at the higher rate.
 */
export async function gatewayLatency(
  plan: BenchPlan,
  path: string,
  direct: Measured,
  gateway: Measured,
  capacity?: number,
): Promise<Figure[]> {
  if (capacity === undefined) {
    await load(gateway.url + path, { connections: plan.connections, seconds: plan.warmupSeconds });
    const runs: number[] = [];
    for (let i = 1; i <= plan.runs; i++)
      runs.push((await load(gateway.url + path, { connections: plan.connections, seconds: plan.seconds })).rps);
    capacity = median(runs);
  }
  const half = Math.round(capacity * FRACTION);
  const figures: Figure[] = [];
  for (const [which, rate] of [
    ['fixed', FIXED_RATE],
    ['half', half],
  ] as const)
    figures.push(...(await atRate(plan, path, direct, gateway, capacity, rate, TARGETS[which], which)));
  return figures;
}

/** The figures of one rate. */
async function atRate(
  plan: BenchPlan,
  path: string,
  direct: Measured,
  gateway: Measured,
  capacity: number,
  rate: number,
  targets: { p50: number; p99: number },
  which: 'fixed' | 'half',
): Promise<Figure[]> {
  const opts = { rate, seconds: plan.seconds, warmupSeconds: plan.warmupSeconds, connections: CONNECTIONS };
  const d: Awaited<ReturnType<typeof measuredRun>>[] = [];
  const g: Awaited<ReturnType<typeof measuredRun>>[] = [];
  for (let i = 1; i <= plan.runs; i++) {
    progress(
      `latency at ${rate} req/s (the gateway carries ${Math.round(capacity)} closed-loop): run ${i}/${plan.runs}`,
    );
    d.push(await measuredRun(direct.url + path, opts, [direct]));
    g.push(await measuredRun(gateway.url + path, opts, [gateway, direct]));
  }
  const at = (rs: RateResult[], k: 'p50' | 'p99' | 'p999') => median(rs.map((r) => r[k]));
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const failures = (rs: RateResult[]) => rs.reduce((n, r) => n + r.errors + r.non2xx, 0);
  const [failedDirect, failed] = [failures(d), failures(g)];
  const label = which === 'fixed' ? `${rate} req/s` : `${rate} req/s (½ of the gateway's closed-loop capacity)`;
  // Saturated: more than the gateway carries closed-loop, or requests failed or went unanswered:
  // what such a run measures is a queue, not the hop.
  const saturated = rate >= capacity || failed > 0;
  const cpuGateway = median(g.map((r) => r.cpuUs[0]!));
  const cpuDirect = median(d.map((r) => r.cpuUs[0]!));
  const how = `open loop at ${rate} req/s (the gateway's closed-loop capacity ${Math.round(capacity)} req/s), latency from each request's due time, ${plan.runs} run(s) of ${plan.seconds} s alternating, medians; generator timer lag p99 ${round(median([...d, ...g].map((r) => r.sendLagP99)))} ms`;
  const added = (k: 'p50' | 'p99', maxMs: number): Figure => {
    const name = `Gateway added latency at ${label}: GET /api/v1/products, ${k} through the gateway − directly`;
    const target = `≤ ${maxMs} ms added`;
    if (saturated)
      return {
        name,
        unit: 'ms',
        value: Number.NaN,
        target: { text: target, met: false },
        notes: `**saturated** (${failed} of the gateway's requests failed or went unanswered; ${k} ${at(g, k)} ms is a queue, not the hop); ${how}`,
      };
    const value = round(at(g, k) - at(d, k));
    return {
      name,
      unit: 'ms',
      value,
      baseline: { name: `list-products directly, ${k}`, value: at(d, k) },
      target: { text: target, met: value <= maxMs && failed + failedDirect === 0 },
      notes: `${k} ${at(g, k)} ms through the gateway, ${at(d, k)} ms directly (spread ${spread(g.map((r) => r[k])).pct}% / ${spread(d.map((r) => r[k])).pct}%); ${how}; ${failed} failed through the gateway, ${failedDirect} directly`,
    };
  };
  const figures = [
    added('p50', targets.p50),
    added('p99', targets.p99),
    {
      name: `Gateway CPU per answered request at ${label} ÷ list-products'`,
      unit: 'µs',
      value: cpuGateway,
      baseline: { name: 'list-products directly, same rate', value: cpuDirect },
      ratio: ratio(cpuGateway, cpuDirect),
      notes: `CPU (user + system, /proc) over the measured seconds ÷ requests answered with 2xx; ${how}`,
    },
  ];
  if (which === 'half')
    figures.push({
      name: `Catalog read at ${label}: list-products p99`,
      unit: 'ms',
      value: at(d, 'p99'),
      notes: `p50 ${at(d, 'p50')} ms, p99.9 ${at(d, 'p999')} ms (spread of p99 ${spread(d.map((r) => r.p99)).pct}%); ${how}; ${failedDirect} failed`,
    });
  return figures;
}
