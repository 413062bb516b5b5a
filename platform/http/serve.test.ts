import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Server } from './serve.ts';
import type { ServeTimeouts } from './timeouts.ts';

const timeouts: ServeTimeouts = { firstByteMs: 300, headersMs: 300, requestMs: 600, idleMs: 400, checkIntervalMs: 50 };
/** Generous: these tests assert that connections are dropped, not how fast. */
const within = (ms: number) => 10 * ms;
const SLOW_ANSWER_MS = 1_000; // longer than the short request and idle bounds

async function answer(req: Request): Promise<Response> {
  const { pathname } = new URL(req.url);
  if (pathname === '/slow') await sleep(SLOW_ANSWER_MS);
  return new Response(req.method === 'POST' ? await req.text() : 'ok');
}

const start = (overrides: Partial<ServeTimeouts> = {}) =>
  serve({ fetch: answer, port: 0, host: '127.0.0.1', timeouts: { ...timeouts, ...overrides } });

/** A raw TCP client, and whether the server closed it within `ms`. */
async function rawClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {}); // writes after the server hung up
  socket.resume();
  const closed = new Promise<true>((resolve) => socket.once('close', () => resolve(true)));
  await new Promise((resolve) => socket.once('connect', resolve));
  const closedWithin = (ms: number) => Promise.race([closed, sleep(ms, false)]);
  return { socket, closedWithin };
}

/** Calls `write` every 100 ms until the stream closes. */
function trickle(write: () => void, stream: { once(event: 'close', f: () => void): unknown }) {
  const timer = setInterval(write, 100);
  stream.once('close', () => clearInterval(timer));
}

/** An HTTP/2 request; resolves with its status and body, or with the reset code if it was cut. */
function h2Request(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: (s: http2.ClientHttp2Stream) => void,
) {
  const stream = session.request(headers, { endStream: !body });
  body?.(stream);
  let status = 0;
  let text = '';
  stream.on('response', (h) => {
    status = Number(h[':status']);
  });
  stream.on('data', (d: Buffer) => {
    text += d;
  });
  stream.on('error', () => {});
  return new Promise<{ status: number; text: string; rstCode: number }>((resolve) =>
    stream.once('close', () => resolve({ status, text, rstCode: stream.rstCode ?? 0 })),
  );
}

describe('serve drops idle and slow clients', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());

  it('closes connections that never send a byte', async () => {
    const clients = await Promise.all(Array.from({ length: 500 }, () => rawClient(server.port)));
    const closed = await Promise.all(clients.map((c) => c.closedWithin(within(timeouts.firstByteMs))));
    expect(closed.filter(Boolean).length).toBe(500);
  });

  it('survives a client that resets before sending a byte', async () => {
    const { socket } = await rawClient(server.port);
    socket.resetAndDestroy();
    await sleep(50);
    expect(await (await fetch(`http://127.0.0.1:${server.port}/`)).text()).toBe('ok');
  });

  it('closes an HTTP/1.1 client whose headers never end', async () => {
    const { socket, closedWithin } = await rawClient(server.port);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
    trickle(() => socket.write('x'), socket);
    expect(await closedWithin(within(timeouts.headersMs))).toBe(true);
  });

  it('closes an HTTP/1.1 client whose body trickles', async () => {
    const { socket, closedWithin } = await rawClient(server.port);
    socket.write('POST /echo HTTP/1.1\r\nHost: x\r\ncontent-length: 1000\r\n\r\n');
    trickle(() => socket.write('x'), socket);
    expect(await closedWithin(within(timeouts.requestMs))).toBe(true);
  });

  it('closes an HTTP/2 client that sends the preface and nothing else', async () => {
    const { socket, closedWithin } = await rawClient(server.port);
    socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    expect(await closedWithin(within(timeouts.idleMs))).toBe(true);
  });

  it('closes an idle HTTP/2 session', async () => {
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    session.on('error', () => {});
    const closed = new Promise<true>((resolve) => session.once('close', () => resolve(true)));
    expect(await Promise.race([closed, sleep(within(timeouts.idleMs), false)])).toBe(true);
  });

  it('resets an HTTP/2 request whose body trickles', async () => {
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    session.on('error', () => {});
    const cut = h2Request(session, { ':method': 'POST', ':path': '/echo' }, (s) => trickle(() => s.write('x'), s));
    const result = await Promise.race([cut, sleep(within(timeouts.requestMs), undefined)]);
    session.destroy();
    expect(result).toMatchObject({ status: 0, rstCode: http2.constants.NGHTTP2_CANCEL });
  });

  it('lets an HTTP/2 request finish whose answer takes longer than the idle and request bounds', async () => {
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    session.on('error', () => {});
    const post = (s: http2.ClientHttp2Stream) => s.end('hello');
    expect(await h2Request(session, { ':method': 'POST', ':path': '/slow' }, post)).toEqual({
      status: 200,
      text: 'hello',
      rstCode: 0,
    });
    session.close();
  });
});

describe('serve still answers well-behaved clients', () => {
  let server: Server;
  // Node announces keep-alive in whole seconds and its agent reuses a socket only if that leaves a second to spare.
  beforeAll(async () => {
    server = await start({ idleMs: 3_000 });
  });
  afterAll(() => server.close());
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  it('answers HTTP/1.1 requests, and two in a row on one kept-alive connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ text: string; reused: boolean }>((resolve, reject) => {
        const req = http.get(url('/'), { agent }, (res) => {
          let text = '';
          res
            .on('data', (d: Buffer) => {
              text += d;
            })
            .on('end', () => resolve({ text, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    expect(await get()).toEqual({ text: 'ok', reused: false });
    expect(await get()).toEqual({ text: 'ok', reused: true });
    agent.destroy();
    const posted = await fetch(url('/echo'), { method: 'POST', body: 'hello' });
    expect(await posted.text()).toBe('hello');
  });

  it('answers HTTP/1.1 requests whose answer takes longer than the request bound', async () => {
    expect(await (await fetch(url('/slow'))).text()).toBe('ok');
  });

  it('answers HTTP/2 requests', async () => {
    const session = http2.connect(url(''));
    session.on('error', () => {});
    expect(await h2Request(session, { ':path': '/' })).toEqual({ status: 200, text: 'ok', rstCode: 0 });
    const post = (s: http2.ClientHttp2Stream) => s.end('hello');
    expect(await h2Request(session, { ':method': 'POST', ':path': '/echo' }, post)).toEqual({
      status: 200,
      text: 'hello',
      rstCode: 0,
    });
    session.close();
  });

  it('closes at once while a kept-alive connection is idle', async () => {
    // An idle bound and a grace longer than the test's timeout: close resolves only if it closed
    // the idle connection itself, not once the connection idled out or the grace ran out.
    const own = await serve({
      fetch: answer,
      port: 0,
      host: '127.0.0.1',
      timeouts: { ...timeouts, idleMs: 10 * 60_000 },
      closeGraceMs: 10 * 60_000,
    });
    const agent = new http.Agent({ keepAlive: true });
    await new Promise((resolve) =>
      http.get(`http://127.0.0.1:${own.port}/`, { agent }, (res) => res.resume().on('end', resolve)),
    );
    await own.close();
    agent.destroy();
  });
});
