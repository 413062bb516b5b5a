import { runWorker } from './run-worker.ts';

const worker = new URL('./load-worker.mjs', import.meta.url);

/** One load run: requests per second (mean over the run) and latency percentiles in ms. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** What to send; `{n}` in `body` becomes a counter (modulo `distinct`). */
export interface LoadOptions {
  connections: number;
  seconds: number;
  method?: string;
  body?: string;
  distinct?: number;
  headers?: Record<string, string>;
}

/**
 * Loads `url` from a separate process (autocannon), so the load generator does not share the
 * event loop of what it measures.
 */
export async function load(url: string, o: LoadOptions): Promise<LoadResult> {
  return runWorker<LoadResult>(worker, { url, ...o });
}
