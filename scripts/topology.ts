import { spawn, type ChildProcess } from 'node:child_process';
import { routes, serviceName, type FunctionName } from '../functions/routes.ts';
import { envSuffix } from '../gateway/function-urls.ts';
import { daprdPath, sidecarArgs, sidecarPortsFor, type SidecarPorts } from './dapr/daprd.ts';
import { randomSidecarTokens, tokenEnv, type SidecarTokens } from './dapr/tokens.ts';

const root = new URL('..', import.meta.url).pathname;
// Node with tsx's loader, in one process (the tsx CLI would put a wrapper process in between,
// and a SIGKILL to the wrapper would leave the function running).
const node = process.execPath;
const withTsx = (script: string, ...args: string[]) => ['--import', 'tsx', script, ...args];

/** The real infrastructure of `npm run infra:up`, unless DATABASE_URL, REDIS_URL or KAFKA_BROKERS say otherwise. */
export const localInfraEnv = (env: Record<string, string | undefined> = process.env) => ({
  DATABASE_URL: env.DATABASE_URL ?? 'postgres://daprps@127.0.0.1:55432/daprps',
  REDIS_URL: env.REDIS_URL ?? 'redis://127.0.0.1:56379',
  KAFKA_BROKERS: env.KAFKA_BROKERS ?? '127.0.0.1:9092',
});

/** The gateway and every function, each its own process, as on Knative. */
export interface Topology {
  gatewayUrl: string;
  processes: Map<string, ChildProcess>;
  /** Each function's tokens: the app API token its event routes require, its sidecar's API token. */
  tokens: Record<FunctionName, SidecarTokens>;
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
  /** Runs a daprd sidecar next to every function (`task dapr:up`); events then travel through Dapr. */
  dapr?: DaprOptions;
  /** Each function's tokens; default: random ones per function. */
  tokens?: (name: FunctionName) => SidecarTokens;
}

/** The sidecars' resources and configuration, and their ports (default: {@link sidecarPortsFor}). */
export interface DaprOptions {
  resourcesPath: string;
  configPath: string;
  ports?: Partial<Record<FunctionName, SidecarPorts>>;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/** Waits until GET `url` answers 2xx, asking every `everyMs`; fails when `child` exits first or after `ms`. */
export async function waitHealthy(url: string, child: ChildProcess, name: string, ms = 90_000, everyMs = 200): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${name} did not become healthy at ${url}`);
}

/**
 * Starts every function (serve-one), each with its daprd sidecar when `dapr` is set, and then the
 * gateway forwarding to them; resolves when all are healthy (sidecars included).
 */
export async function startTopology(opts: TopologyOptions): Promise<Topology> {
  const processes = new Map<string, ChildProcess>();
  // Should this process end without stop(), take the children with it.
  process.once('exit', () => processes.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
  const start = (name: string, command: string, args: string[], env: Record<string, string>) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...opts.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
      setTimeout(() => c.kill('SIGKILL'), 25_000).unref(); // after the function's own shutdown deadline
    })));
  };
  try {
    const gatewayEnv: Record<string, string> = { PORT: String(opts.gatewayPort) };
    const health: Promise<void>[] = [];
    const tokens = {} as Record<FunctionName, SidecarTokens>;
    for (const [name, route] of Object.entries(routes) as [FunctionName, (typeof routes)[FunctionName]][]) {
      const port = opts.ports?.[name] ?? route.port;
      tokens[name] = (opts.tokens ?? randomSidecarTokens)(name);
      // The function and its sidecar share its tokens; nobody else gets them.
      const env: Record<string, string> = { PORT: String(port), ...tokenEnv(tokens[name]) };
      if (opts.dapr) {
        const ports = opts.dapr.ports?.[name] ?? sidecarPortsFor(port);
        Object.assign(env, { EVENT_TRANSPORT: 'dapr', DAPR_HOST: '127.0.0.1', DAPR_HTTP_PORT: String(ports.http) });
        const { resourcesPath, configPath, logLevel } = opts.dapr;
        const args = sidecarArgs({ appId: serviceName(name), appPort: port, ports, resourcesPath, configPath, logLevel });
        const sidecar = start(`${name} (dapr)`, daprdPath(), args, tokenEnv(tokens[name]));
        health.push(waitHealthy(`http://127.0.0.1:${ports.http}/v1.0/healthz`, sidecar, `${name} (dapr)`));
      }
      const child = start(name, node, withTsx('functions/serve-one.ts', name), env);
      gatewayEnv[`FUNCTION_URL_${envSuffix(name)}`] = `http://127.0.0.1:${port}`;
      health.push(waitHealthy(`http://127.0.0.1:${port}/health`, child, name));
    }
    await Promise.all(health);
    const gatewayUrl = `http://127.0.0.1:${opts.gatewayPort}`;
    await waitHealthy(`${gatewayUrl}/health`, start('gateway', node, withTsx('gateway/main.ts'), gatewayEnv), 'gateway');
    return { gatewayUrl, processes, tokens, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
