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

/** Requests by route pattern (not the raw path: ids would explode the label set), method and status. */
const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by route pattern, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [registry],
});

/** Request latency by route pattern, method and status. */
const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency in seconds, by route pattern, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

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
    const stop = httpDuration.startTimer();
    await next();
    const labels = { route: routeLabel(c), method: c.req.method, status: String(answerStatus(c)) };
    httpRequests.inc(labels);
    stop(labels);
  };
}
