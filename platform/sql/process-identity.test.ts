import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { exitedPid, startNode } from '../../test/support/node-process.ts';
import { pidExists, procStartTime, stillRuns, thisProcess } from './process-identity.ts';

const linux = existsSync('/proc/self/stat');

describe('process identity', () => {
  it('describes this process: pid, host, command line, when, and (Linux) its start time', () => {
    const me = thisProcess();
    expect(me).toMatchObject({ pid: process.pid, host: hostname(), command: expect.stringMatching(/^node\b/) });
    if (linux) expect(me.procStart).toMatch(/^\d+$/);
  });

  it.runIf(linux)(
    'reads a start time that stays the same for one process and differs between processes started apart',
    async () => {
      expect(procStartTime(process.pid)).toBe(procStartTime(process.pid));
      const child = startNode(['-e', 'setTimeout(() => {}, 5_000)']);
      try {
        await new Promise((r) => setTimeout(r, 50));
        expect(procStartTime(child.child.pid!)).not.toBe(procStartTime(process.pid));
      } finally {
        child.child.kill('SIGKILL');
        await child.exited;
      }
    },
  );

  it('tells a running process from one that has exited', async () => {
    const dead = await exitedPid();
    expect(pidExists(process.pid)).toBe(true);
    expect(pidExists(dead)).toBe(false);
    expect(stillRuns(thisProcess())).toBe(true);
    expect(stillRuns({ ...thisProcess(), pid: dead })).toBe(false);
  });

  it.runIf(linux)('does not take a reused pid (same pid, another start time) for the process recorded', () => {
    expect(stillRuns({ ...thisProcess(), procStart: '1' })).toBe(false);
  });

  it('gives a recorded process without a start time the benefit of the doubt while its pid exists', () => {
    expect(stillRuns({ ...thisProcess(), procStart: undefined })).toBe(true);
  });
});
