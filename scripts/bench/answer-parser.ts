/**
 * The load generators' HTTP/1.1 answer parser (open-loop.ts): it finds where an answer ends in
 * the bytes of a connection at the least cost, so that the generator's CPU is not what a figure
 * measures. A bench tool: it trusts the server it loads (the gateway's upstream client is undici).
 */

/** An answer read whole: status, header lines (names in lower case) and body. */
export interface Http1Answer {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

const EMPTY = Buffer.alloc(0);
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
/** The most header bytes an answer may have (node's server default for requests). */
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Reads one answer from the bytes of a connection: its head, then a body framed by
 * Content-Length, chunked transfer coding, or the connection's end; none after a HEAD request,
 * and none in a 1xx, 204 or 304 (a 1xx is skipped: the real answer follows).
 */
export class AnswerParser {
  #pending: Buffer = EMPTY;
  #status = 0;
  #headers: [string, string][] = [];
  #body: Buffer[] = [];
  /** Body bytes still to come (Content-Length); -1 chunked; -2 until the connection ends. */
  #left = 0;
  /** Chunked: data bytes of the current chunk still to come; -1 at a size line; -2 after the data (its CRLF). */
  #chunkLeft = -1;
  #trailers = false;
  /** The connection closes after this answer (`Connection: close`, or HTTP/1.0). */
  close = false;
  /** A `Keep-Alive: timeout=N` the server sent, in ms. */
  keepAliveMs: number | undefined;

  readonly #headRequest: boolean;

  /** `headRequest`: the answer is to a HEAD request (no body, whatever its head says). */
  constructor(headRequest = false) {
    this.#headRequest = headRequest;
  }

  /**
   * Feeds bytes; the answer once complete. Bytes past its end (nothing was asked for them) leave
   * the connection unfit for another call: `close` is then set.
   */
  push(bytes: Buffer): Http1Answer | undefined {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, bytes]) : bytes;
    while (this.#status === 0) {
      if (!this.#readHead()) return undefined;
    }
    if (!this.#readBody()) return undefined;
    if (this.#pending.length) this.close = true;
    return this.#answer();
  }

  /** Bytes that came after the answer: the next answer's, where answers follow one another. */
  rest(): Buffer {
    return this.#pending;
  }

  /** The connection ended: the answer, if it was one whose body ends there. */
  end(): Http1Answer | undefined {
    return this.#status !== 0 && this.#left === -2 ? this.#answer() : undefined;
  }

  #answer(): Http1Answer {
    const body = this.#body.length === 1 ? this.#body[0]! : Buffer.concat(this.#body);
    return { status: this.#status, headers: this.#headers, body };
  }

  #readHead(): boolean {
    const end = this.#pending.indexOf(HEAD_END);
    if (end < 0) {
      if (this.#pending.length > MAX_HEAD_BYTES) throw new Error('answer head too large');
      return false;
    }
    const lines = this.#pending.toString('latin1', 0, end).split('\r\n');
    this.#pending = this.#pending.subarray(end + HEAD_END.length);
    const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]!);
    if (!statusLine) throw new Error(`not an HTTP/1.1 answer: ${lines[0]!.slice(0, 40)}`);
    const status = Number(statusLine[2]);
    const headers: [string, string][] = [];
    let length: number | undefined;
    let chunked = false;
    let close = statusLine[1] === '0';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error('malformed answer header');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers.push([name, value]);
      if (name === 'content-length') {
        if (!/^\d+$/.test(value) || (length !== undefined && length !== Number(value)))
          throw new Error('bad Content-Length');
        length = Number(value);
      } else if (name === 'transfer-encoding') chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      else if (name === 'connection') close ||= /(?:^|,)\s*close\s*(?:,|$)/i.test(value);
      else if (name === 'keep-alive') {
        const timeout = /timeout=(\d+)/i.exec(value);
        if (timeout) this.keepAliveMs = Number(timeout[1]) * 1000;
      }
    }
    if (status < 200) return true; // 1xx: the answer follows
    this.#status = status;
    this.#headers = headers;
    this.close = close;
    if (this.#headRequest || status === 204 || status === 304) this.#left = 0;
    else if (chunked) this.#left = -1;
    else if (length !== undefined) this.#left = length;
    else {
      this.#left = -2;
      this.close = true;
    }
    return true;
  }

  /** Consumes body bytes; true once the body is complete. */
  #readBody(): boolean {
    if (this.#left === -2) {
      if (this.#pending.length) this.#body.push(this.#pending);
      this.#pending = EMPTY;
      return false;
    }
    if (this.#left >= 0) {
      const n = Math.min(this.#left, this.#pending.length);
      if (n) this.#body.push(this.#pending.subarray(0, n));
      this.#pending = this.#pending.subarray(n);
      this.#left -= n;
      return this.#left === 0;
    }
    for (;;) {
      if (this.#chunkLeft > 0) {
        const n = Math.min(this.#chunkLeft, this.#pending.length);
        if (n) this.#body.push(this.#pending.subarray(0, n));
        this.#pending = this.#pending.subarray(n);
        this.#chunkLeft -= n;
        if (this.#chunkLeft > 0) return false;
        this.#chunkLeft = -2;
      }
      const eol = this.#pending.indexOf(CRLF);
      if (eol < 0) return false;
      const line = this.#pending.toString('latin1', 0, eol);
      this.#pending = this.#pending.subarray(eol + CRLF.length);
      if (this.#trailers) {
        if (line === '') return true;
      } else if (this.#chunkLeft === -2) {
        if (line !== '') throw new Error('bad chunk end');
        this.#chunkLeft = -1;
      } else {
        const size = /^([0-9a-fA-F]{1,8})(?:;.*)?$/.exec(line);
        if (!size) throw new Error('bad chunk size');
        this.#chunkLeft = Number.parseInt(size[1]!, 16);
        if (this.#chunkLeft === 0) this.#trailers = true;
      }
    }
  }
}
