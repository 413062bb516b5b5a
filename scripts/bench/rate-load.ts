import { runWorker } from './run-worker.ts';

const worker = new URL('./open-loop-worker.ts', import.meta.url);

/** What one open-loop run measured: latencies in ms, from when each request was due. */
export interface RateResult {
  rate: number;
  /** Requests due after the warm-up. */
  requests: number;
  answered: number;
  /** Failed or not answered within 5 s of the last one due. */
  errors: number;
  non2xx: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /** How late the generator's own timer sent requests (p99, ms): the floor of what it can resolve. */
  sendLagP99: number;
  /** Connections it needed at most. */
  connections: number;
}

/** What to send, at what rate, for how long. */
export interface RateOptions {
  rate: number;
  seconds: number;
  warmupSeconds: number;
  /** Connections opened at most (a request due while all are busy waits, and the wait counts). */
  connections: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Loads `url` open-loop, `rate` requests a second on a fixed schedule, from a separate process
 * (open-loop-worker.ts), so that the generator does not share the event loop of what it measures.
 */
export async function rateLoad(url: string, o: RateOptions): Promise<RateResult> {
  return runWorker<RateResult>(worker, { url, ...o });
}
