import { spawn, type ChildProcess } from 'node:child_process';
import type { FunctionName } from '../functions/routes.ts';
import type { SidecarTokens } from './dapr/tokens.ts';
import { planTopology, type TopologyOptions } from './topology-plan.ts';

export type { DaprOptions, TopologyOptions } from './topology-plan.ts';

const root = new URL('..', import.meta.url).pathname;

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

/** Waits until GET `url` answers 2xx, asking every `everyMs`; fails when `child` exits first or after `ms`. */
export async function waitHealthy(
  url: string,
  child: ChildProcess,
  name: string,
  ms = 90_000,
  everyMs = 200,
): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${name} did not become healthy at ${url}`);
}

/**
 * Starts what {@link planTopology} plans: every function (serve-one), each with its daprd sidecar
 * when `dapr` is set and it uses events, and then the gateway forwarding to them; resolves when all
 * are healthy (sidecars included).
 */
export async function startTopology(opts: TopologyOptions): Promise<Topology> {
  const processes = new Map<string, ChildProcess>();
  // Should this process end without stop(), take the children with it.
  process.once('exit', () => {
    for (const c of processes.values()) if (c.exitCode === null) c.kill('SIGKILL');
  });
  const start = (name: string, command: string, args: string[], env: Record<string, string>) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    await Promise.all(
      [...processes.values()].map(
        (c) =>
          new Promise((resolve) => {
            if (c.exitCode !== null || c.signalCode) return resolve(undefined);
            c.once('exit', resolve);
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 25_000).unref(); // after the function's own shutdown deadline
          }),
      ),
    );
  };
  try {
    const plan = planTopology(opts);
    const up = (p: (typeof plan.processes)[number]) =>
      waitHealthy(p.health, start(p.name, p.command, p.args, p.env), p.name);
    await Promise.all(plan.processes.filter((p) => p.kind !== 'gateway').map(up));
    const gateway = plan.processes.find((p) => p.kind === 'gateway')!;
    await up(gateway);
    return { gatewayUrl: `http://127.0.0.1:${opts.gatewayPort}`, processes, tokens: plan.tokens, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
