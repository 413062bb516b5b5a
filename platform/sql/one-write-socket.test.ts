import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { oneWriteSocket } from './one-write-socket.ts';

/** The socket's writes to the kernel: one entry per system call, the chunks each carried. */
function recordWrites(socket: Socket): number[] {
  const calls: number[] = [];
  const internals = socket as unknown as {
    _write: (...a: unknown[]) => void;
    _writev: (chunks: unknown[], cb: unknown) => void;
  };
  const [write, writev] = [internals._write, internals._writev];
  internals._write = function (this: unknown, ...a: unknown[]) {
    calls.push(1);
    return write.apply(this, a);
  };
  internals._writev = function (this: unknown, chunks: unknown[], cb: unknown) {
    calls.push(chunks.length);
    return writev.call(this, chunks, cb);
  };
  return calls;
}

describe('oneWriteSocket', () => {
  it('sends what is written in one turn of the event loop in one write, and all of it', async () => {
    const received: Buffer[] = [];
    const server = createServer((s) => s.on('data', (d) => received.push(d)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const socket = oneWriteSocket();
    try {
      await new Promise<void>((r) => socket.connect((server.address() as AddressInfo).port, '127.0.0.1', r));
      const calls = recordWrites(socket);
      for (const part of ['parse;', 'bind;', 'describe;', 'execute;', 'sync;']) socket.write(part);
      await new Promise((r) => setTimeout(r, 20));
      socket.write('next;');
      await expect.poll(() => Buffer.concat(received).toString()).toBe('parse;bind;describe;execute;sync;next;');
      expect(calls).toEqual([5, 1]);
    } finally {
      socket.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
