import { spawn, type ChildProcess } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;

/** A Node process under test: its output so far (stdout and stderr together) and its exit code. */
export interface NodeProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Starts `node --import tsx <args>` in the repository root, `env` added to this process's
 * environment; one process (no tsx wrapper), so `child.pid` is the pid the program sees.
 */
export function startNode(args: string[], env: Record<string, string> = {}): NodeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Resolves with the output once it holds `text`; rejects if the process exits first. */
export async function outputHolding(p: NodeProcess, text: string, timeoutMs = 30_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (!p.output().includes(text)) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`exited (${p.child.exitCode ?? p.child.signalCode}) before saying "${text}": ${p.output()}`);
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
