import { readFile } from 'node:fs/promises';
import type { BenchPlan, Figure } from './figure.ts';
import { progress } from './figure.ts';
import { load } from './load.ts';
import { rateLoad, type RateResult } from './rate-load.ts';
import { median, spread } from './stats.ts';

/**
 * The fixed rate: this fraction of list-products' closed-loop capacity. The gateway's throughput
 * target is 0.70 of that capacity: at half of it, a gateway that meets its target is busy but
 * not saturated, so what it adds is its own cost and short queues, not a backlog.
 */
const FRACTION = 0.5;
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

/** One open-loop run, with the CPU each process used per answered request (µs). */
async function measuredRun(url: string, opts: Parameters<typeof rateLoad>[1], processes: Measured[]) {
  const before = await Promise.all(processes.map((p) => cpuSeconds(p.child.pid)));
  const r = await rateLoad(url, opts);
  const after = await Promise.all(processes.map((p) => cpuSeconds(p.child.pid)));
  // Warm-up included: the CPU counters cover the whole run.
  const requests = r.rate * (opts.seconds + opts.warmupSeconds);
  return { ...r, cpuUs: after.map((a, i) => Math.round(((a - before[i]!) * 1e6) / requests)) };
}

/**
 * Latency at a fixed rate, open loop (scripts/bench/open-loop-worker.ts): GET /api/v1/products at
 * half of list-products' closed-loop capacity (`capacity`, measured in the same run; measured
 * here when not given), straight to the function and through the gateway in alternation.
 * Figures: what the gateway adds at p50 and p99, and the catalog read's own p99 at that rate.
 */
export async function gatewayLatency(
  plan: BenchPlan,
  path: string,
  direct: Measured,
  gateway: Measured,
  capacity?: number,
): Promise<Figure[]> {
  if (capacity === undefined) {
    await load(direct.url + path, { connections: plan.connections, seconds: plan.warmupSeconds });
    const runs: number[] = [];
    for (let i = 1; i <= plan.runs; i++)
      runs.push((await load(direct.url + path, { connections: plan.connections, seconds: plan.seconds })).rps);
    capacity = median(runs);
  }
  const rate = Math.round(capacity * FRACTION);
  const opts = { rate, seconds: plan.seconds, warmupSeconds: plan.warmupSeconds, connections: CONNECTIONS };
  const d: Awaited<ReturnType<typeof measuredRun>>[] = [];
  const g: Awaited<ReturnType<typeof measuredRun>>[] = [];
  for (let i = 1; i <= plan.runs; i++) {
    progress(`latency at ${rate} req/s (½ of ${Math.round(capacity)}): run ${i}/${plan.runs}`);
    d.push(await measuredRun(direct.url + path, opts, [direct]));
    g.push(await measuredRun(gateway.url + path, opts, [gateway, direct]));
  }
  const at = (rs: RateResult[], k: 'p50' | 'p99' | 'p999') => median(rs.map((r) => r[k]));
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const failures = (rs: RateResult[]) => rs.reduce((n, r) => n + r.errors + r.non2xx, 0);
  const [failedDirect, failed] = [failures(d), failures(g)];
  const cpu = `CPU per request: gateway ${median(g.map((r) => r.cpuUs[0]!))} µs, list-products ${median(d.map((r) => r.cpuUs[0]!))} µs`;
  const how = `open loop at ${rate} req/s (½ of list-products' closed-loop ${Math.round(capacity)} req/s), latency from each request's due time, ${plan.runs} run(s) of ${plan.seconds} s alternating, medians; generator timer lag p99 ${round(median([...d, ...g].map((r) => r.sendLagP99)))} ms; ${cpu}`;
  const added = (k: 'p50' | 'p99', maxMs: number): Figure => {
    const value = round(at(g, k) - at(d, k));
    return {
      name: `Gateway added latency at a fixed rate: GET /api/v1/products, ${k} through the gateway − directly`,
      unit: 'ms',
      value,
      baseline: { name: `list-products directly, ${k}`, value: at(d, k) },
      target: { text: `≤ ${maxMs} ms added`, met: value <= maxMs && failed + failedDirect === 0 },
      notes: `${k} ${at(g, k)} ms through the gateway, ${at(d, k)} ms directly (spread ${spread(g.map((r) => r[k])).pct}% / ${spread(d.map((r) => r[k])).pct}%); ${how}; ${failed} failed through the gateway, ${failedDirect} directly`,
    };
  };
  return [
    added('p50', 1),
    added('p99', 2),
    {
      name: 'Catalog read at a fixed rate: list-products p99, half of its capacity',
      unit: 'ms',
      value: at(d, 'p99'),
      notes: `p50 ${at(d, 'p50')} ms, p99.9 ${at(d, 'p999')} ms (spread of p99 ${spread(d.map((r) => r.p99)).pct}%); ${how}; ${failedDirect} failed`,
    },
  ];
}
