import { describe, expect, it } from 'vitest';
import { startNode } from '../test/support/node-process.ts';

/** A node process that calls exitOnSignalsUntilHandled, runs `then`, and signals itself with SIGTERM. */
const signalled = (then: string) =>
  startNode([
    '--input-type=module',
    '-e',
    `import { exitOnSignalsUntilHandled } from './platform/pid1-signals.ts';
     exitOnSignalsUntilHandled();
     ${then}
     setInterval(() => {}, 1000);
     process.kill(process.pid, 'SIGTERM');`,
  ]);

describe('exitOnSignalsUntilHandled (node as PID 1 in the image)', () => {
  it('exits with 143 on SIGTERM while nothing else handles it', async () => {
    const p = signalled('');
    expect(await p.exited).toBe(143);
    expect(p.child.signalCode).toBeNull();
  });

  it('leaves SIGTERM to the handler the app sets once it serves', async () => {
    const p = signalled(
      `process.once('SIGTERM', () => { console.log('shutting down'); setTimeout(() => process.exit(0), 50); });`,
    );
    expect(await p.exited).toBe(0);
    expect(p.output()).toBe('shutting down\n');
  });

  it('leaves a second SIGTERM during the drain to the app: the drain finishes (onShutdown)', async () => {
    const p = startNode([
      '--input-type=module',
      '-e',
      `import { exitOnSignalsUntilHandled } from './platform/pid1-signals.ts';
       import { onShutdown } from './platform/shutdown.ts';
       exitOnSignalsUntilHandled();
       const log = { info() {}, error(o, m) { console.log(m); } };
       let drained = () => {};
       onShutdown(log, () => new Promise((resolve) => (drained = () => { console.log('drained'); resolve(); })));
       setInterval(() => {}, 1000);
       process.kill(process.pid, 'SIGTERM');
       setImmediate(() => { process.kill(process.pid, 'SIGTERM'); setTimeout(() => drained(), 50); });`,
    ]);
    expect(await p.exited).toBe(0);
    expect(p.output()).toBe('drained\n');
  });
});
