import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { call, replicaPool } from './upstream-call.ts';

describe('a call to a replica', () => {
  const post = { method: 'POST', path: '/', headers: [], body: Buffer.from('{}') };

  it('says it was not sent when the connection was refused', async () => {
    const refused = replicaPool('http://127.0.0.1:1');
    expect(await call(refused, post).answer.catch((e) => e)).toMatchObject({ sent: false });
    await refused.destroy();
  });

  it('says it was sent when the replica closed the connection after reading it', async () => {
    let got = '';
    const server = net.createServer((s) =>
      s.on('data', (d) => {
        got += d;
        if (got.endsWith('{}')) s.destroy();
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const pool = replicaPool(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    expect(await call(pool, post).answer.catch((e) => e)).toMatchObject({ sent: true });
    expect(got).toMatch(/^POST \/ HTTP\/1\.1\r\n/);
    await pool.destroy();
    await new Promise((r) => server.close(r));
  });

  it('is not sent when it is aborted while it waits for a connection', async () => {
    let got = '';
    const server = net.createServer((s) => s.on('data', (d) => (got += d)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const pool = replicaPool(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    const attempt = call(pool, post);
    attempt.abort(new Error('too late'));
    await expect(attempt.answer).rejects.toThrow('too late');
    await pool.destroy();
    await new Promise((r) => server.close(r)); // once every connection ended: all it got has come
    expect(got).toBe('');
  });
});
