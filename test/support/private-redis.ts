import { spawn, type ChildProcess } from 'node:child_process';

/** A private redis-server (installed by `npm run infra:up`) on `port`, so stopping it disturbs no other test. */
export function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('Ready to accept connections') && resolve(child));
    child.once('error', reject);
  });
}
