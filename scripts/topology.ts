import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { routes, type FunctionName } from '../functions/routes.ts';
import { envSuffix } from '../gateway/function-urls.ts';

const root = new URL('..', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');

/** The gateway and every function, each its own process, as on Knative. */
export interface Topology {
  gatewayUrl: string;
  processes: Map<string, ChildProcess>;
  stop(): Promise<void>;
}

/** What to start: shared environment (infrastructure URLs), ports, and where output goes. */
export interface TopologyOptions {
  env: Record<string, string>;
  gatewayPort: number;
  /** Each function's port; default: its port in the route table. */
  ports?: Partial<Record<FunctionName, number>>;
  /** Receives every output line, prefixed with the process name. */
  onLine?: (line: string) => void;
}

async function waitHealthy(url: string, child: ChildProcess, name: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not become healthy at ${url}`);
}

/** Starts every function (serve-one) and then the gateway forwarding to them; resolves when all are healthy. */
export async function startTopology(opts: TopologyOptions): Promise<Topology> {
  const processes = new Map<string, ChildProcess>();
  const start = (name: string, script: string[], env: Record<string, string>) => {
    const child = spawn(tsx, script, { cwd: root, env: { ...process.env, ...opts.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffer = '';
      stream.on('data', (chunk) => {
        const lines = (buffer + chunk).split('\n');
        buffer = lines.pop()!;
        for (const line of lines) opts.onLine?.(`${name.padEnd(30)} ${line}`);
      });
    }
    processes.set(name, child);
    return child;
  };
  const stop = async () => {
    await Promise.all([...processes.values()].map((c) => new Promise((resolve) => {
      if (c.exitCode !== null || c.signalCode) return resolve(undefined);
      c.once('exit', resolve);
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
    })));
  };
  try {
    const gatewayEnv: Record<string, string> = { PORT: String(opts.gatewayPort) };
    const health: Promise<void>[] = [];
    for (const [name, route] of Object.entries(routes) as [FunctionName, (typeof routes)[FunctionName]][]) {
      const port = opts.ports?.[name] ?? route.port;
      const child = start(name, ['functions/serve-one.ts', name], { PORT: String(port) });
      gatewayEnv[`FUNCTION_URL_${envSuffix(name)}`] = `http://127.0.0.1:${port}`;
      health.push(waitHealthy(`http://127.0.0.1:${port}`, child, name));
    }
    await Promise.all(health);
    const gatewayUrl = `http://127.0.0.1:${opts.gatewayPort}`;
    await waitHealthy(gatewayUrl, start('gateway', ['gateway/main.ts'], gatewayEnv), 'gateway');
    return { gatewayUrl, processes, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
