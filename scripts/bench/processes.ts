import { spawn, type ChildProcess } from 'node:child_process';

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
  stop(): Promise<void>;
}

/** Spawns `node <args>` with `env` and waits until GET `url + readyPath` answers 2xx. */
export async function startNode(args: string[], env: Record<string, string>, port: number, readyPath: string): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node ${args.join(' ')} exited with ${child.exitCode}: ${stderr}`);
    if (await fetch(`${url}${readyPath}`).then((r) => r.ok, () => false)) break;
    if (performance.now() - t0 > 60_000) throw new Error(`node ${args.join(' ')} did not answer ${readyPath} within 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const startMs = performance.now() - t0;
  return {
    url,
    child,
    startMs,
    async rssMb() {
      const { readFile } = await import('node:fs/promises');
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    stop: () => new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')))),
  };
}
