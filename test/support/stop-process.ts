import type { ChildProcess } from 'node:child_process';

/** Kills a process at once (no shutdown hook runs) and waits until it is gone, unless it is gone already. */
export const stopProcess = (child: ChildProcess) =>
  new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) return r(null);
    child.once('exit', r);
    child.kill('SIGKILL');
  });
