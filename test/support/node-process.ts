import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { freePort } from './infra.ts';
import { stopProcess } from './stop-process.ts';

const root = new URL('../..', import.meta.url).pathname;

/** A Node process under test: its output so far (stdout and stderr together, and stderr alone) and its exit code. */
export interface NodeProcess {
  child: ChildProcess;
  output(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/**
 * Starts `node --import tsx <args>` in the repository root, `env` added to this process's
 * environment; one process (no tsx wrapper), so `child.pid` is the pid the program sees.
 */
export function startNode(args: string[], env: Record<string, string> = {}): NodeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => {
    out += chunk;
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, stderr: () => err, exited };
}

/** Resolves with the output once it holds `text`; rejects if the process exits first. */
export async function outputHolding(p: NodeProcess, text: string, timeoutMs = 30_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (!p.output().includes(text)) {
    if (p.child.exitCode !== null || p.child.signalCode !== null)
      throw new Error(`exited (${p.child.exitCode ?? p.child.signalCode}) before saying "${text}": ${p.output()}`);
    if (Date.now() > end) throw new Error(`did not say "${text}" in ${timeoutMs} ms: ${p.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return p.output();
}

/** The pid of a Node process that has already exited (nothing runs under it now, short of pid reuse). */
export async function exitedPid(): Promise<number> {
  const p = startNode(['-e', '']);
  await p.exited;
  return p.child.pid!;
}

/** A server process of a test: the process and where it listens. */
export interface Served {
  p: NodeProcess;
  url: string;
}

/**
 * For a test file that starts servers on data folders: `serve(args, env)` starts
 * `node --import tsx <args>` on a free port (PORT, HOST) and `folder(prefix)` makes a temporary
 * folder; after the file's tests every process is stopped and every folder removed.
 */
export function useServers(): {
  serve(args: string[], env: Record<string, string>): Promise<Served>;
  folder(prefix: string): Promise<string>;
} {
  const started: NodeProcess[] = [];
  const folders: string[] = [];
  afterAll(async () => {
    await Promise.all(started.map((p) => stopProcess(p.child)));
    await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
  });
  return {
    async serve(args, env) {
      const port = await freePort();
      const p = startNode(args, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
      started.push(p);
      return { p, url: `http://127.0.0.1:${port}` };
    },
    async folder(prefix) {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      folders.push(dir);
      return dir;
    },
  };
}
