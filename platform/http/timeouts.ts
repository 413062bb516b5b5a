import type http from 'node:http';
import http2 from 'node:http2';
import type net from 'node:net';

/** A connection that has sent no byte by then is dropped: real clients speak as soon as they connect. */
const FIRST_BYTE_TIMEOUT_MS = 10_000;
/** Request headers must be complete this long after the request starts: real headers fit in one packet. */
const HEADERS_TIMEOUT_MS = 10_000;
/**
 * A whole request, body included, must arrive within this: bodies here are small (capped by the
 * body limit) and every RPC is unary.
 */
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * An idle connection (HTTP/1.1 keep-alive, HTTP/2 without stream activity) closes after this:
 * longer than load balancers' 60 s, so they close first.
 */
const IDLE_TIMEOUT_MS = 65_000;
/**
 * How often Node checks the HTTP/1.1 header and request bounds, which hold only to within this
 * (Node's 30 s default would quadruple the header bound).
 */
const CHECK_INTERVAL_MS = 1_000;

/** How long a client may take, in ms, at each stage of a connection. */
export interface ServeTimeouts {
  firstByteMs: number;
  headersMs: number;
  requestMs: number;
  idleMs: number;
  checkIntervalMs: number;
}

/** The production bounds, each overridable (tests use short ones). */
export function timeoutsOf(overrides: Partial<ServeTimeouts> = {}): ServeTimeouts {
  return {
    firstByteMs: FIRST_BYTE_TIMEOUT_MS,
    headersMs: HEADERS_TIMEOUT_MS,
    requestMs: REQUEST_TIMEOUT_MS,
    idleMs: IDLE_TIMEOUT_MS,
    checkIntervalMs: CHECK_INTERVAL_MS,
    ...overrides,
  };
}

/**
 * Calls `then` once the socket has bytes to read (or has ended); destroys it if none come within
 * `ms`. Until then no HTTP server owns the socket, so no HTTP timeout and no error handler apply:
 * without this, a silent client is held forever and a reset one is an uncaught ECONNRESET.
 */
export function afterFirstBytes(socket: net.Socket, ms: number, then: () => void): void {
  const drop = () => socket.destroy();
  socket.setTimeout(ms);
  socket.once('timeout', drop);
  socket.on('error', drop);
  socket.once('readable', () => {
    socket.setTimeout(0);
    socket.off('timeout', drop);
    socket.off('error', drop);
    then();
  });
}

/**
 * Applies the bounds to an HTTP/1.1 server that is handed sockets rather than listening itself.
 * Node enforces headersTimeout and requestTimeout from a connection list and a checking interval
 * that it sets up only on 'listening' (`setupConnectionsTracking`); without that event they are
 * silently not enforced (and `closeIdleConnections()` does nothing), so it is emitted here.
 * The server is then closed with `close()`, which also stops the interval.
 */
export function boundHttp1(h1: http.Server, t: ServeTimeouts): void {
  h1.headersTimeout = t.headersMs;
  h1.requestTimeout = t.requestMs;
  h1.keepAliveTimeout = t.idleMs;
  (h1 as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = t.checkIntervalMs;
  h1.emit('listening');
}

/**
 * Applies the bounds to an HTTP/2 server: a session without stream activity for the idle bound
 * (a client that sent only the preface, or PINGs only) is closed with GOAWAY, which lets a request
 * still being answered finish (Node's default on timeout destroys the session and cuts it); a
 * stream whose request has not ended within the request bound is reset.
 */
export function boundHttp2(h2: http2.Http2Server, t: ServeTimeouts): void {
  const closeGracefully = (session: http2.ServerHttp2Session) => session.close();
  h2.setTimeout(t.idleMs, closeGracefully as () => void); // Node passes the session; @types/node says no arguments
  h2.on('stream', (stream: http2.ServerHttp2Stream) => {
    if (stream.endAfterHeaders) return;
    const deadline = setTimeout(() => {
      if (!stream.destroyed && !stream.state.remoteClose) stream.close(http2.constants.NGHTTP2_CANCEL);
    }, t.requestMs).unref();
    stream.once('close', () => clearTimeout(deadline));
  });
}
