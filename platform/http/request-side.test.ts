import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testLog } from '../../test/support/test-log.ts';
import { createHttpApp } from './create-http-app.ts';
import { requestHeader } from './request-header.ts';
import { serve, type Server } from './serve.ts';

const LIMIT = 1024;

/** Sends a raw request (headers as a flat list, so that one may repeat); chunked when no content-length is given. */
function send(port: number, method: string, path: string, headers: string[], body?: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      { port, host: '127.0.0.1', method, path, headers: ['host', 'localhost', ...headers] },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) for (let at = 0; at < body.length; at += 300) req.write(body.slice(at, at + 300));
    req.end();
  });
}

describe("the request side read from node's request", () => {
  let server: Server;
  beforeAll(async () => {
    const app = createHttpApp({ log: testLog, bodyLimitBytes: LIMIT });
    app.post('/echo', async (c) => c.json({ length: (await c.req.text()).length }));
    app.get('/header', (c) =>
      c.json({ node: requestHeader(c, 'authorization') ?? null, web: c.req.header('authorization') ?? null }),
    );
    server = await serve({ fetch: app.fetch, port: 0, host: '127.0.0.1' });
  });
  afterAll(() => server.close());

  it('limits a body by its Content-Length, and reads one within it', async () => {
    const ok = 'x'.repeat(LIMIT);
    const within = await send(server.port, 'POST', '/echo', ['content-length', String(ok.length)], ok);
    expect(within).toEqual({ status: 200, text: JSON.stringify({ length: LIMIT }) });
    const over = 'x'.repeat(LIMIT + 1);
    const refused = await send(server.port, 'POST', '/echo', ['content-length', String(over.length)], over);
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.text).error.code).toBe('payload_too_large');
  });

  it('counts a chunked body as it is read', async () => {
    expect(await send(server.port, 'POST', '/echo', [], 'y'.repeat(LIMIT))).toEqual({
      status: 200,
      text: JSON.stringify({ length: LIMIT }),
    });
    expect((await send(server.port, 'POST', '/echo', [], 'y'.repeat(LIMIT + 1))).status).toBe(413);
  });

  it('reads a header as the web Request does, a repeated one too', async () => {
    for (const headers of [
      [],
      ['authorization', 'Bearer a'],
      ['authorization', 'Bearer a', 'authorization', 'Bearer b'],
    ]) {
      const { text } = await send(server.port, 'GET', '/header', headers);
      const { node, web } = JSON.parse(text);
      expect(node, headers.join(' ')).toBe(web);
    }
  });
});
