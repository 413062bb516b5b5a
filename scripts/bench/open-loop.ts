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

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Finds where HTTP/1.1 answers end in the bytes a connection receives (one request at a time on
 * it: no pipelining). Answers with `Content-Length`, chunked ones, and those without a body
 * (204, 304, 1xx) end; any other ends when the connection closes ({@link closed}).
 */
export class AnswerFramer {
  #pending: Buffer = Buffer.alloc(0);
  /** The status of the answer being read; 0 while its head is not complete. */
  #status = 0;
  /** Body bytes still to come (Content-Length), -1 while chunked, -2 until the connection closes. */
  #left = 0;
  /** Chunked: bytes of the current chunk still to skip, then its CRLF; -1 while at a size line. */
  #chunkLeft = -1;
  #inTrailers = false;

  /** Feeds the next bytes; returns the statuses of the answers they complete, in order. */
  push(bytes: Buffer): number[] {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, bytes]) : bytes;
    const done: number[] = [];
    for (;;) {
      if (this.#status === 0 && !this.#readHead()) break;
      if (!this.#readBody()) break;
      // A 1xx (100 Continue) comes before the real answer: not an answer of its own.
      if (this.#status >= 200) done.push(this.#status);
      this.#status = 0;
    }
    return done;
  }

  /** The connection closed: the status of an answer that ended with it, if one was being read. */
  closed(): number | undefined {
    return this.#status !== 0 && this.#left === -2 ? this.#status : undefined;
  }

  #readHead(): boolean {
    const end = this.#pending.indexOf(HEAD_END);
    if (end < 0) return false;
    const head = this.#pending.toString('latin1', 0, end);
    this.#pending = this.#pending.subarray(end + HEAD_END.length);
    const status = Number(head.slice(9, 12));
    if (!(status >= 100 && status <= 999)) throw new Error(`not an HTTP/1.1 answer: ${head.slice(0, 40)}`);
    this.#status = status;
    const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
    if (status < 200 || status === 204 || status === 304) this.#left = 0;
    else if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) {
      this.#left = -1;
      this.#chunkLeft = -1;
      this.#inTrailers = false;
    } else this.#left = length ? Number(length[1]) : -2;
    return true;
  }

  /** Consumes the current answer's body; true once it is complete. */
  #readBody(): boolean {
    if (this.#left === -2) return false;
    if (this.#left >= 0) {
      const n = Math.min(this.#left, this.#pending.length);
      this.#pending = this.#pending.subarray(n);
      this.#left -= n;
      return this.#left === 0;
    }
    for (;;) {
      if (this.#chunkLeft > 0) {
        const n = Math.min(this.#chunkLeft, this.#pending.length);
        this.#pending = this.#pending.subarray(n);
        this.#chunkLeft -= n;
        if (this.#chunkLeft > 0) return false;
      }
      const eol = this.#pending.indexOf(CRLF);
      if (eol < 0) return false;
      const line = this.#pending.toString('latin1', 0, eol);
      this.#pending = this.#pending.subarray(eol + CRLF.length);
      if (this.#inTrailers) {
        if (line === '') return true;
        continue;
      }
      if (this.#chunkLeft === 0) {
        this.#chunkLeft = -1; // the CRLF after a chunk's data
        continue;
      }
      const size = Number.parseInt(line, 16);
      if (Number.isNaN(size)) throw new Error(`bad chunk size line: ${line.slice(0, 40)}`);
      if (size === 0) this.#inTrailers = true;
      else this.#chunkLeft = size;
    }
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
