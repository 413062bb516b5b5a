import type { MiddlewareHandler } from 'hono';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { answerStatus } from './http/answer-status.ts';
import { routeLabel } from './http/route-label.ts';

/**
 * The process's Prometheus registry: one per process (a function, or the gateway), served on
 * `GET /metrics`. Node's own metrics (event loop lag, heap, GC) are included.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Upper bounds of the request latency buckets, in seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The requests of one label set: how many, their total latency, and how many fell in each bucket. */
interface Series {
  labels: { route: string; method: string; status: string };
  count: number;
  sum: number;
  /** Per bucket of DURATION_BUCKETS (not cumulative); slower than the last: in none. */
  buckets: number[];
}

/**
 * The requests answered, per label set (route pattern, method, status): its series is made once,
 * then a request adds to it (a Map lookup and three additions). prom-client's Counter and
 * Histogram would label every request anew (check the labels, build their hash, twice), a tenth
 * of what a cached catalog read cost; they are what the series are written as, below.
 */
const requestSeries = new Map<string, Series>();

function seriesOf(route: string, method: string, status: number): Series {
  const key = `${route}\u0000${method}\u0000${status}`;
  let series = requestSeries.get(key);
  if (!series) {
    series = {
      labels: { route, method, status: String(status) },
      count: 0,
      sum: 0,
      buckets: DURATION_BUCKETS.map(() => 0),
    };
    requestSeries.set(key, series);
  }
  return series;
}

/**
 * A metric of the registry read from the request series at scrape time: what prom-client's own
 * Counter and Histogram would give for the same requests (the same lines, in the same order).
 */
function seriesMetric(name: string, help: string, type: 'counter' | 'histogram') {
  const values = () => {
    if (type === 'counter') return [...requestSeries.values()].map((s) => ({ value: s.count, labels: s.labels }));
    return [...requestSeries.values()].flatMap((s) => {
      let below = 0;
      return [
        ...DURATION_BUCKETS.map((le, i) => {
          below += s.buckets[i]!;
          return { labels: { le }, sharedLabels: s.labels, value: below, metricName: `${name}_bucket` };
        }),
        { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: `${name}_bucket` },
        { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${name}_sum` },
        { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${name}_count` },
      ];
    });
  };
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
    reset: () => requestSeries.clear(),
  };
  // The registry asks a metric only for these (it is typed for prom-client's own classes).
  registry.registerMetric(metric as unknown as Counter);
}

seriesMetric('http_requests_total', 'HTTP requests answered, by route pattern, method and status', 'counter');
seriesMetric(
  'http_request_duration_seconds',
  'HTTP request latency in seconds, by route pattern, method and status',
  'histogram',
);

/** Events a handler finished with, by handler and outcome (applied, invalid, dead_lettered, failed). */
export const eventsHandled = new Counter({
  name: 'events_handled_total',
  help: 'Events delivered to a handler, by handler and outcome',
  labelNames: ['handler', 'outcome'] as const,
  registers: [registry],
});

/** Consume lag: from the event's time to the moment its handler finished with it. */
export const eventLag = new Histogram({
  name: 'event_consume_lag_seconds',
  help: 'Seconds from an event being written to its handler finishing with it',
  labelNames: ['handler'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [registry],
});

/** A gauge read at scrape time from a source the process sets once it has one (NaN when the read fails). */
function scrapedGauge(name: string, help: string): { readFrom(read: () => Promise<number>): void } {
  let source: (() => Promise<number>) | undefined;
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      if (source) this.set(await source().catch(() => Number.NaN));
    },
  });
  return {
    readFrom: (read) => {
      source = read;
    },
  };
}

/** Outbox events written but not yet published, read from the database at scrape time. */
export const outboxBacklog = scrapedGauge('outbox_backlog_events', 'Outbox events written but not yet published');

/**
 * Counts and times every request under its route pattern (an RPC under its method's path), with the
 * status it is logged with.
 */
export function httpMetrics(): MiddlewareHandler {
  return async function httpMetrics(c, next) {
    const started = performance.now();
    await next();
    const series = seriesOf(routeLabel(c), c.req.method, answerStatus(c));
    const seconds = (performance.now() - started) / 1000;
    series.count++;
    series.sum += seconds;
    const bucket = DURATION_BUCKETS.findIndex((le) => seconds <= le);
    if (bucket >= 0) series.buckets[bucket]!++;
  };
}
