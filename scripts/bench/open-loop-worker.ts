// Runs one open-loop load in its own process (node runs this file as it is: types stripped) and
// prints the result as JSON. Requests go out on a fixed schedule, `rate` a second, whether or
// not the earlier ones were answered; each one's latency counts from the moment it was due, so
// time spent queued behind a slow answer (waiting for a connection, or in the server) shows
// (no coordinated omission). Plain sockets and a prepared request: the generator costs little
// of the CPU it shares with what it measures.
import net from 'node:net';
import { AnswerFramer, dueAt, dueBy, percentiles } from './open-loop.ts';
import type { RateOptions } from './rate-load.ts';

/** What to send, how often, and for how long (the warm-up's answers are not counted). */
type Options = RateOptions & { url: string };

const o = JSON.parse(process.argv[2]!) as Options;
const target = new URL(o.url);
const body = o.body ?? '';
const head = [
  `${o.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1`,
  `host: ${target.host}`,
  ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ...(body ? [`content-length: ${Buffer.byteLength(body)}`] : []),
];
const request = Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`);

const total = Math.round(o.rate * (o.warmupSeconds + o.seconds));
const firstCounted = Math.round(o.rate * o.warmupSeconds);
/** Latency of each answered counted request (in the order answered), from when it was due to its whole answer. */
const latencies = new Float64Array(total - firstCounted);
let answered = 0;
let errors = 0;
let non2xx = 0;
/** How late the generator itself sent requests (its timer), counted ones only. */
const sendLag = new Float64Array(total - firstCounted);

/** A connection, and the request it carries (its index), if any. */
interface Conn {
  socket: net.Socket;
  framer: AnswerFramer;
  carrying: number;
}
const idle: Conn[] = [];
const all = new Set<Conn>();
let open = 0;
let maxOpen = 0;
/** Requests due while every connection was busy, in order. */
const waiting: number[] = [];
let waitingAt = 0;
let start = 0;
let sent = 0;

function finish(i: number, status: number | undefined) {
  if (i < firstCounted) return;
  if (status === undefined) errors++;
  else {
    if (status < 200 || status >= 300) non2xx++;
    latencies[answered++] = performance.now() - (start + dueAt(i, o.rate));
  }
}

function connect(): Conn {
  const conn: Conn = {
    socket: net.connect(Number(target.port || 80), target.hostname),
    framer: new AnswerFramer(),
    carrying: -1,
  };
  open++;
  all.add(conn);
  maxOpen = Math.max(maxOpen, open);
  conn.socket.setNoDelay(true);
  conn.socket.on('data', (bytes: Buffer) => {
    let statuses: number[];
    try {
      statuses = conn.framer.push(bytes);
    } catch {
      conn.socket.destroy();
      return;
    }
    for (const status of statuses) {
      const i = conn.carrying;
      conn.carrying = -1;
      finish(i, status);
      next(conn);
    }
  });
  conn.socket.on('error', () => undefined);
  conn.socket.on('close', () => {
    open--;
    all.delete(conn);
    const i = conn.carrying;
    conn.carrying = -1;
    const idleAt = idle.indexOf(conn);
    if (idleAt >= 0) idle.splice(idleAt, 1);
    if (i >= 0) finish(i, conn.framer.closed());
    // Work that waits for a connection gets a new one.
    if (waitingAt < waiting.length && open < o.connections) next(connect());
  });
  return conn;
}

/** Gives a free connection the next waiting request, or makes it idle. */
function next(conn: Conn) {
  if (conn.socket.destroyed) return;
  if (waitingAt < waiting.length) send(conn, waiting[waitingAt++]!);
  else idle.push(conn);
}

function send(conn: Conn, i: number) {
  conn.carrying = i;
  conn.socket.write(request);
}

/** Sends every request now due (on an idle connection, a new one, or after the busy ones). */
function tick() {
  const now = performance.now();
  const due = Math.min(total, dueBy(now - start, o.rate));
  for (; sent < due; sent++) {
    if (sent >= firstCounted) sendLag[sent - firstCounted] = now - (start + dueAt(sent, o.rate));
    const conn = idle.pop() ?? (open < o.connections ? connect() : undefined);
    if (conn) send(conn, sent);
    else waiting.push(sent);
  }
  if (sent < total) setTimeout(tick, Math.max(0, start + dueAt(sent, o.rate) - performance.now()));
  else setTimeout(report, 0);
}

/**
 * Waits for the last answers (up to 5 s) and prints the result. A request still unanswered then
 * is an error, and its latency so far (a lower bound) is counted with the others: dropping it
 * would hide the worst.
 */
async function report() {
  const deadline = performance.now() + 5_000;
  while (answered + errors < total - firstCounted && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  const unanswered = [...[...all].map((c) => c.carrying), ...waiting.slice(waitingAt)].filter((i) => i >= firstCounted);
  const now = performance.now();
  unanswered.forEach((i, k) => {
    latencies[answered + k] = now - (start + dueAt(i, o.rate));
  });
  errors += unanswered.length;
  const missing = total - firstCounted - answered - errors;
  console.log(
    JSON.stringify({
      rate: o.rate,
      requests: total - firstCounted,
      answered,
      errors: errors + missing,
      non2xx,
      ...percentiles(latencies.subarray(0, answered + unanswered.length)),
      sendLagP99: percentiles(sendLag).p99,
      connections: maxOpen,
    }),
  );
  process.exit(0);
}

start = performance.now();
tick();
