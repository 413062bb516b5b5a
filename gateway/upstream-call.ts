import { Pool, type Dispatcher } from 'undici';

/**
 * The gateway's calls to a function's replica, on undici: llhttp reads the answers (one framing,
 * no conflicting lengths, no upgrade nobody asked for), the head and the body are limited as they
 * arrive, and an idle connection is reused only once what came on it since was read (bytes a
 * replica sends after its answer close the connection instead of answering the next call).
 */

/** The most bytes of an answer's head (node's server default for requests). */
const MAX_ANSWER_HEAD_BYTES = 16 * 1024;
/** The most bytes of an answer's body; a longer answer fails the call as its bytes come, not once read whole. */
export const MAX_ANSWER_BODY_BYTES = 8 * 1024 * 1024;
/** The most connections to one replica; a call beyond waits for one. */
const MAX_CONNECTIONS = 256;
/** How long a connection stays idle before it is closed, when the replica does not say (Keep-Alive: timeout). */
const IDLE_MS = 4_000;

/** An answer read whole: status, headers (names in lower case; a repeated one as a list) and body. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A call that failed; `sent`: whether its request may have reached the replica (a byte of it was written). */
export class CallFailed extends Error {
  constructor(
    message: string,
    readonly sent: boolean,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'CallFailed';
  }
}

/** The connections to one replica (`origin`: `http://host:port`). */
export const replicaPool = (origin: string): Pool =>
  new Pool(origin, {
    connections: MAX_CONNECTIONS,
    pipelining: 1,
    maxHeaderSize: MAX_ANSWER_HEAD_BYTES,
    maxResponseSize: MAX_ANSWER_BODY_BYTES,
    // The forward's own deadline covers the call; undici's timers would only duplicate it.
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: IDLE_MS,
    // A connection the replica said it closes within a second is not used again (the replica may close it as we write).
    keepAliveTimeoutThreshold: 1_000,
  });

/**
 * What is wrong with an answer's framing, if anything: HTTP lets a response be read to the
 * connection's end when its transfer coding does not end in chunked, and names the last of
 * repeated codings; a proxy reading it so and the replica meaning otherwise disagree on where the
 * answer ends. One Content-Length or one `chunked`, nothing else, and no longer than the limit.
 */
function framingFault(h: Answer['headers']): string | undefined {
  const coding = h['transfer-encoding'];
  const length = h['content-length'];
  if (coding !== undefined && (typeof coding !== 'string' || coding.trim().toLowerCase() !== 'chunked'))
    return `answer with transfer-encoding ${String(coding)}`;
  if (coding !== undefined && length !== undefined) return 'answer with both transfer-encoding and content-length';
  if (typeof length === 'string' && Number(length) > MAX_ANSWER_BODY_BYTES)
    return `answer of ${length} bytes is over the size limit of ${MAX_ANSWER_BODY_BYTES}`;
  return undefined;
}

/** A request to send: method, path (with query), header name/value pairs in turn, and the body. */
export interface Outgoing {
  method: string;
  path: string;
  headers: string[];
  body: Buffer | undefined;
}

/** Sends `request` on one of `pool`'s connections; `abort` fails it at once (and closes its connection if it was sent). */
export function call(pool: Dispatcher, request: Outgoing): { answer: Promise<Answer>; abort(e: Error): void } {
  let controller: Dispatcher.DispatchController | undefined;
  let aborted: Error | undefined;
  let fail: (e: Error) => void = () => undefined;
  const answer = new Promise<Answer>((resolve, reject) => {
    let settled = false;
    fail = (e) => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    let status = 0;
    let headers: Answer['headers'] = {};
    const chunks: Buffer[] = [];
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (aborted) c.abort(aborted); // aborted while it waited for a connection: never written
      },
      onResponseStart(c, statusCode, h) {
        if (statusCode < 200) return; // 1xx (not 101: an upgrade nobody asked for fails the call): the answer follows
        const unfit = framingFault(h);
        if (unfit) return c.abort(new Error(unfit));
        status = statusCode;
        headers = h;
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (settled) return;
        settled = true;
        resolve({ status, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
      },
      onResponseError(_c, e) {
        fail(new CallFailed(e.message, controller !== undefined, { cause: e }));
      },
    };
    try {
      const { method, path, headers, body } = request;
      pool.dispatch({ method: method as Dispatcher.HttpMethod, path, headers, body }, handler);
    } catch (e) {
      fail(new CallFailed((e as Error).message, false, { cause: e }));
    }
  });
  return {
    answer,
    abort(e) {
      aborted = e;
      fail(e);
      controller?.abort(e);
    },
  };
}
