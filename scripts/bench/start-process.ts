import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { waitHealthy } from '../topology.ts';

const root = new URL('../..', import.meta.url).pathname;

/** The arguments that run a function from its bundle, as the image does. */
export const bundle = (name: string) => ['dist/main.mjs', name];

/** A process the benchmark started, healthy at `url`. */
export interface Started {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first successful answer of `ready`. */
  startMs: number;
  /** Resident memory of the process now, in MB (Linux /proc). */
  rssMb(): Promise<number>;
  /**
   * The part of it that is the process's own (anonymous: heap, stacks), in MB; the rest is files
   * mapped in (node's binary above all), shared with every process that maps them.
   */
  anonMb(): Promise<number>;
  stop(): Promise<void>;
}

/** Spawns `command <args>` with `env` and waits until GET `url + readyPath` answers 2xx. */
export async function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  url: string,
  readyPath: string,
): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const what = `${command === process.execPath ? 'node' : command} ${args.slice(0, 2).join(' ')}`;
  // Asked every 2 ms: the time to the first answer is a figure.
  await waitHealthy(`${url}${readyPath}`, child, what, 60_000, 2).catch((e: Error) =>
    Promise.reject(new Error(`${e.message}: ${stderr}`)),
  );
  const startMs = performance.now() - t0;
  return {
    url,
    child,
    startMs,
    async rssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    async anonMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/RssAnon:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

/** Spawns `node <args>` with `env` on `port` and waits until GET `readyPath` answers 2xx. */
export const startNode = (args: string[], env: Record<string, string>, port: number, readyPath: string) =>
  startProcess(process.execPath, args, { ...env, PORT: String(port) }, `http://127.0.0.1:${port}`, readyPath);
