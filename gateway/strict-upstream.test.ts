import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.ts';
import { testLog } from '../test/support/test-log.ts';
import { createGateway } from './create-gateway.ts';
import { MAX_ANSWER_BODY_BYTES } from './upstream-call.ts';

const json = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n${extra}\r\n${body}`;

/**
 * A replica of list-products behind the forwarding gateway, misbehaving as told: `answer(n,
 * socket)` answers its n-th request (written by hand). `get()`: the gateway's answer to
 * `GET /api/v1/products`, as status and body.
 */
async function replica(answer: (n: number, socket: net.Socket) => void) {
  const connections: net.Socket[] = [];
  const closed: Promise<void>[] = [];
  let n = 0;
  const server = net.createServer((socket) => {
    connections.push(socket);
    closed.push(new Promise((r) => socket.on('close', () => r())));
    socket.on('error', () => undefined);
    let seen = '';
    socket.on('data', (d) => {
      seen += d.toString('latin1');
      // One request at a time, each without a body here: answer at the end of its head.
      while (seen.includes('\r\n\r\n')) {
        seen = seen.slice(seen.indexOf('\r\n\r\n') + 4);
        answer(n++, socket);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const gateway = createGateway(
    loadConfig({
      FUNCTION_URL_TEMPLATE: 'http://127.0.0.1:1/{name}',
      FUNCTION_URL_LIST_PRODUCTS: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    }),
    testLog,
  );
  opened.push({ server, connections });
  const get = async () => {
    const res = await gateway.app.request('/api/v1/products');
    const text = await res.text();
    const code = res.status >= 400 ? JSON.parse(text).error.code : undefined;
    return { status: res.status, text, code, cookies: res.headers.getSetCookie() };
  };
  return { get, connections, closed };
}
const opened: { server: net.Server; connections: net.Socket[] }[] = [];
afterEach(async () => {
  for (const { server, connections } of opened.splice(0)) {
    for (const socket of connections) socket.destroy();
    await new Promise((r) => server.close(r));
  }
});
/** What the gateway answers to a replica's answer it cannot trust. */
const BAD_GATEWAY = { status: 502, code: 'bad_gateway' };

describe('the forwarding gateway reads its replicas’ answers strictly', () => {
  it('relays an answer: status, every cookie, body; chunked too; on one kept-alive connection', async () => {
    const { get, connections } = await replica((n, s) =>
      s.write(
        n === 0
          ? json('{"a":1}', 'set-cookie: a=1\r\nset-cookie: b=2\r\n')
          : 'HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n',
      ),
    );
    expect(await get()).toMatchObject({ status: 200, text: '{"a":1}', cookies: ['a=1', 'b=2'] });
    await new Promise(setImmediate); // a connection is looked at once more before it is used again
    expect(await get()).toMatchObject({ status: 201, text: 'abcde' });
    expect(connections).toHaveLength(1);
  });

  it('closes a connection on which bytes came after a complete answer: they never answer the next request', async () => {
    const { get, connections } = await replica((n, s) =>
      s.write(n === 0 ? `${json('{}')}${json('{"poisoned":true}')}` : json(`{"n":${n}}`)),
    );
    expect((await get()).text).toBe('{}');
    expect((await get()).text).toBe('{"n":1}');
    expect(connections).toHaveLength(2);
  });

  it('closes an idle connection on which bytes came that nobody asked for', async () => {
    const { get, connections, closed } = await replica((n, s) => {
      s.write(json(`{"n":${n}}`));
      if (n === 0) setImmediate(() => s.write(json('{"poisoned":true}')));
    });
    expect((await get()).text).toBe('{"n":0}');
    await closed[0]; // the gateway closed it when the bytes came
    expect((await get()).text).toBe('{"n":1}');
    expect(connections).toHaveLength(2);
  });

  it('hands the answer that follows poisoned bytes to nobody: a request waiting for the connection gets its own', async () => {
    // One request in flight and one waiting, as under load: the first answer is followed, a
    // moment later, by bytes nobody asked for; the second request must not get them.
    const { get } = await replica((n, s) => {
      s.write(json(`{"n":${n}}`));
      if (n === 0) setImmediate(() => s.write(json('{"poisoned":true}')));
    });
    const answers = await Promise.all(Array.from({ length: 8 }, () => get()));
    expect(answers.map((a) => a.text).filter((t) => t.includes('poisoned'))).toEqual([]);
  });

  it('answers 502 to repeated or conflicting framing', async () => {
    const heads = [
      'transfer-encoding: chunked\r\ntransfer-encoding: identity\r\n',
      'transfer-encoding: chunked, identity\r\n',
      'content-length: 2\r\ncontent-length: 3\r\n',
      'content-length: 2\r\ntransfer-encoding: chunked\r\n',
    ];
    for (const head of heads) {
      const { get } = await replica((_n, s) => s.write(`HTTP/1.1 200 OK\r\n${head}\r\n2\r\n{}\r\n0\r\n\r\n`));
      expect(await get(), head).toMatchObject(BAD_GATEWAY);
    }
  });

  it('answers 502 to a 101 (an upgrade nobody asked for) and to an unasked 100; skips an early hint (103)', async () => {
    for (const first of [
      'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n',
      'HTTP/1.1 101 Switching Protocols\r\n\r\n',
      'HTTP/1.1 100 Continue\r\n\r\n',
    ]) {
      const { get } = await replica((_n, s) => s.write(`${first}${json('{"hidden":1}')}`));
      expect(await get(), first).toMatchObject(BAD_GATEWAY);
    }
    const { get: hint } = await replica((_n, s) =>
      s.write(`HTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\n${json('{"ok":1}')}`),
    );
    expect(await hint()).toMatchObject({ status: 200, text: '{"ok":1}' });
  });

  it('answers 502 to a head over 16 KiB, whether it comes in one write or in many', async () => {
    const head = `HTTP/1.1 200 OK\r\nx-big: ${'y'.repeat(20_000)}\r\ncontent-length: 2\r\n\r\n{}`;
    const { get: whole } = await replica((_n, s) => s.write(head));
    expect(await whole()).toMatchObject(BAD_GATEWAY);
    const { get: bits } = await replica((_n, s) => {
      for (let i = 0; i < head.length; i += 1000) s.write(head.slice(i, i + 1000));
    });
    expect(await bits()).toMatchObject(BAD_GATEWAY);
  });

  it('answers 502 to an answer over the size limit, as it comes, without reading it whole', async () => {
    // Announced: refused at its head.
    const { get: announced } = await replica((_n, s) =>
      s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${MAX_ANSWER_BODY_BYTES + 1}\r\n\r\n`),
    );
    expect(await announced()).toMatchObject(BAD_GATEWAY);
    // Streamed without end: the gateway closes the connection soon after the limit.
    const written: number[] = [];
    const total = 64 * MAX_ANSWER_BODY_BYTES;
    const { get: endless, closed } = await replica((n, s) => {
      written[n] = 0;
      s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
      const chunk = `10000\r\n${'x'.repeat(0x10000)}\r\n`;
      const more = () => {
        while (written[n]! < total && !s.destroyed) {
          written[n]! += 0x10000;
          if (!s.write(chunk)) return void s.once('drain', more);
        }
      };
      more();
    });
    expect(await endless()).toMatchObject(BAD_GATEWAY);
    await Promise.all(closed);
    expect(Math.max(...written)).toBeLessThan(total / 4);
  });
});
