import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AnswerParser, Http1Pool } from './http1-client.ts';

const bytes = (s: string) => Buffer.from(s, 'latin1');
const json = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;

/** Feeds `text` cut at `cut`; the answer, as text. */
function read(text: string, cut: number, parser = new AnswerParser()) {
  const a = parser.push(bytes(text.slice(0, cut))) ?? parser.push(bytes(text.slice(cut)));
  return a && { status: a.status, headers: a.headers, body: a.body.toString('latin1') };
}

describe('reading an HTTP/1.1 answer', () => {
  it('reads a Content-Length answer whatever the bytes are cut into, header names in lower case', () => {
    const answer = json('{"a":1}', 'Set-Cookie: a=1\r\nset-cookie: b=2\r\n');
    for (let cut = 1; cut < answer.length; cut++)
      expect(read(answer, cut)).toEqual({
        status: 200,
        headers: [
          ['content-type', 'application/json'],
          ['content-length', '7'],
          ['set-cookie', 'a=1'],
          ['set-cookie', 'b=2'],
        ],
        body: '{"a":1}',
      });
  });

  it('reads a chunked answer byte by byte (chunk extensions, trailers)', () => {
    const answer =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na;x=1\r\n0123456789\r\n3\r\nabc\r\n0\r\nx-trailer: 1\r\n\r\n';
    const parser = new AnswerParser();
    const done = [...answer].map((ch) => parser.push(bytes(ch))).filter(Boolean);
    expect(done).toHaveLength(1);
    expect(done[0]!.body.toString()).toBe('0123456789abc');
  });

  it('reads no body after a HEAD request, nor in a 204 or 304; skips a 100 Continue', () => {
    expect(new AnswerParser(true).push(bytes('HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\n'))?.body).toHaveLength(0);
    expect(new AnswerParser().push(bytes('HTTP/1.1 204 No Content\r\n\r\n'))?.status).toBe(204);
    expect(new AnswerParser().push(bytes('HTTP/1.1 304 Not Modified\r\ncontent-length: 5\r\n\r\n'))?.status).toBe(304);
    expect(read(`HTTP/1.1 100 Continue\r\n\r\n${json('{}')}`, 10)?.status).toBe(200);
  });

  it('ends a body without length at the connection end, and says the connection closes', () => {
    const parser = new AnswerParser();
    expect(parser.push(bytes('HTTP/1.1 200 OK\r\n\r\npart 1, '))).toBeUndefined();
    expect(parser.push(bytes('part 2'))).toBeUndefined();
    expect(parser.end()?.body.toString()).toBe('part 1, part 2');
    expect(parser.close).toBe(true);
  });

  it('says when the connection closes after the answer, and how long the server keeps it idle', () => {
    const close = new AnswerParser();
    close.push(bytes(json('{}', 'Connection: close\r\n')));
    expect(close.close).toBe(true);
    const old = new AnswerParser();
    old.push(bytes('HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n'));
    expect(old.close).toBe(true);
    const kept = new AnswerParser();
    kept.push(bytes(json('{}', 'Connection: keep-alive\r\nKeep-Alive: timeout=65\r\n')));
    expect([kept.close, kept.keepAliveMs]).toEqual([false, 65_000]);
    const extra = new AnswerParser();
    extra.push(bytes(`${json('{}')}HTTP/1.1 200 OK\r\n`)); // bytes nobody asked for: not reused
    expect(extra.close).toBe(true);
    expect(new AnswerParser().end()).toBeUndefined(); // nothing came
  });

  it('refuses what is not an HTTP/1.1 answer: status line, length, chunk size, header line', () => {
    const fails = (text: string) => () => new AnswerParser().push(bytes(text));
    expect(fails('SSH-2.0-OpenSSH\r\n\r\n')).toThrow(/not an HTTP/);
    expect(fails('HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n')).toThrow(/Content-Length/);
    expect(fails('HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n')).toThrow(/Content-Length/);
    expect(fails('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n')).toThrow(/chunk size/);
    expect(fails('HTTP/1.1 200 OK\r\nno colon\r\n\r\n')).toThrow(/header/);
    expect(fails(`HTTP/1.1 200 OK\r\nx: ${'y'.repeat(20_000)}`)).toThrow(/too large/);
  });
});

describe('the connections to one replica', () => {
  const servers: net.Server[] = [];
  const sockets: net.Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  /**
   * A server answering the n-th request it gets with `answer(n)`: bytes, bytes and then the
   * connection's end, or at once the end (undefined).
   */
  async function server(answer: (n: number, request: string) => string | [string, 'end'] | undefined) {
    const connections: net.Socket[] = [];
    let n = 0;
    const s = net.createServer((socket) => {
      connections.push(socket);
      sockets.push(socket);
      socket.on('data', (d) => {
        const reply = answer(n++, d.toString('latin1'));
        if (reply === undefined) socket.destroy();
        else if (Array.isArray(reply)) socket.end(reply[0]);
        else socket.write(reply);
      });
    });
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const pool = new Http1Pool('127.0.0.1', (s.address() as net.AddressInfo).port, 2);
    return { pool, connections };
  }
  const get = 'GET / HTTP/1.1\r\nhost: x\r\n\r\n';

  it('keeps one connection for calls one after another, and sends the head and body as given', async () => {
    const seen: string[] = [];
    const { pool, connections } = await server((n, request) => {
      seen.push(request);
      return json(`{"n":${n}}`);
    });
    for (let i = 0; i < 3; i++)
      expect((await pool.request(get, undefined, false).answer).body.toString()).toBe(`{"n":${i}}`);
    await pool.request('POST / HTTP/1.1\r\ncontent-length: 2\r\n\r\n', Buffer.from('{}'), false).answer;
    expect(connections).toHaveLength(1);
    expect(seen.at(-1)).toBe('POST / HTTP/1.1\r\ncontent-length: 2\r\n\r\n{}');
    pool.close();
  });

  it('lets calls beyond its connections wait for one, and opens a new one after a close', async () => {
    const { pool, connections } = await server(() => json('{}', 'Connection: close\r\n'));
    const answers = await Promise.all(Array.from({ length: 5 }, () => pool.request(get, undefined, false).answer));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(connections).toHaveLength(5);
  });

  it('does not reuse a connection the server may be closing (Keep-Alive timeout under a second)', async () => {
    const { pool, connections } = await server(() => json('{}', 'Keep-Alive: timeout=1\r\n'));
    await pool.request(get, undefined, false).answer;
    await pool.request(get, undefined, false).answer;
    expect(connections).toHaveLength(2);
  });

  it('fails a call whose connection closes before its answer, or mid-answer, or that is aborted', async () => {
    const { pool } = await server((n) =>
      n === 0 ? undefined : ['HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc', 'end'],
    );
    await expect(pool.request(get, undefined, false).answer).rejects.toThrow(/before an answer/);
    const mid = pool.request(get, undefined, false);
    await expect(mid.answer).rejects.toThrow(/mid-answer/);
    const refused = new Http1Pool('127.0.0.1', 1);
    await expect(refused.request(get, undefined, false).answer).rejects.toThrow(
      expect.objectContaining({ cause: expect.objectContaining({ code: 'ECONNREFUSED' }) }),
    );
    const { pool: silent } = await server(() => '');
    const call = silent.request(get, undefined, false);
    call.abort(new Error('too slow'));
    await expect(call.answer).rejects.toThrow('too slow');
  });
});
