import { AnswerParser } from './answer-parser.ts';

/**
 * The parts of the open-loop load generator (open-loop-worker.ts) worth testing on their own: its
 * schedule, how it tells where one HTTP/1.1 answer ends on a connection, and its percentiles.
 */

/**
 * How many requests are due `elapsedMs` after the start at `rate` per second: request i is due at
 * i × 1000 / rate ms (request 0 at the start), whatever became of the earlier ones.
 */
export const dueBy = (elapsedMs: number, rate: number): number =>
  elapsedMs < 0 ? 0 : Math.floor((elapsedMs * rate) / 1000) + 1;

/** When request `i` is due, in ms after the start. */
export const dueAt = (i: number, rate: number): number => (i * 1000) / rate;

/**
 * Finds where HTTP/1.1 answers end in the bytes a connection receives (one request at a time on
 * it: no pipelining), with the load generators' parser (answer-parser.ts). Answers with
 * `Content-Length`, chunked ones, and those without a body (204, 304, 1xx) end; any other ends
 * when the connection closes ({@link closed}).
 */
export class AnswerFramer {
  #parser = new AnswerParser();

  /** Feeds the next bytes; returns the statuses of the answers they complete, in order. */
  push(bytes: Buffer): number[] {
    const done: number[] = [];
    for (let next = bytes; ; ) {
      const answer = this.#parser.push(next);
      if (!answer) return done;
      done.push(answer.status);
      next = this.#parser.rest();
      this.#parser = new AnswerParser();
      if (!next.length) return done;
    }
  }

  /** The connection closed: the status of an answer that ended with it, if one was being read. */
  closed(): number | undefined {
    return this.#parser.end()?.status;
  }
}

/** Latency percentiles in ms (nearest rank) of some latencies, sorted in place. */
export function percentiles(latencies: Float64Array): {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
} {
  latencies.sort();
  const at = (q: number) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]! : Number.NaN;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    p999: round(at(0.999)),
    max: round(latencies.length ? latencies[latencies.length - 1]! : Number.NaN),
  };
}
