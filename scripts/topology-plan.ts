import { routes, type FunctionName } from '../functions/routes.ts';
import { envSuffix } from '../gateway/function-urls.ts';
import { daprdPath, sidecarArgs, sidecarPortsFor, type SidecarPorts } from './dapr/daprd.ts';
import { randomSidecarTokens, tokenEnv, type SidecarTokens } from './dapr/tokens.ts';
import {
  envNamesOf,
  functionProcesses,
  processEnvNames,
  sidecarEnvNames,
  type FunctionProcess,
} from './deploy/function-processes.ts';

// Node with tsx's loader, in one process (the tsx CLI would put a wrapper process in between,
// and a SIGKILL to the wrapper would leave the function running).
const node = process.execPath;
const withTsx = (script: string, ...args: string[]) => ['--import', 'tsx', script, ...args];

/** What to start: shared environment (infrastructure URLs), ports, and where output goes. */
export interface TopologyOptions {
  env: Record<string, string>;
  gatewayPort: number;
  /** Each function's port; default: its port in the route table. */
  ports?: Partial<Record<FunctionName, number>>;
  /** Receives every output line, prefixed with the process name. */
  onLine?: (line: string) => void;
  /** Runs a daprd sidecar next to every function that uses events (`task dapr:up`); events then travel through Dapr. */
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

/** One process of the topology: its command line, its whole environment, and the URL that answers once it is up. */
export interface PlannedProcess {
  name: string;
  kind: 'function' | 'sidecar' | 'gateway';
  /** The function it serves, or whose sidecar it is. */
  fn?: FunctionProcess;
  command: string;
  args: string[];
  env: Record<string, string>;
  health: string;
}

/** The topology's processes (functions and their sidecars first, the gateway last) and each function's tokens. */
export interface TopologyPlan {
  processes: PlannedProcess[];
  tokens: Record<FunctionName, SidecarTokens>;
}

const defined = (env: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
const without = (env: Record<string, string>, names: readonly string[]) =>
  Object.fromEntries(Object.entries(env).filter(([k]) => !names.includes(k)));
const only = (env: Record<string, string>, names: readonly string[]) =>
  Object.fromEntries(Object.entries(env).filter(([k]) => names.includes(k)));

/**
 * What `startTopology` starts, without starting it: every function (serve-one) with exactly the
 * environment of its needs (scripts/deploy/function-processes.ts, as compose and Knative), a daprd sidecar
 * beside each function that uses events when `dapr` is set, and the gateway forwarding to them.
 */
export function planTopology(
  opts: TopologyOptions,
  parentEnv: Record<string, string | undefined> = process.env,
): TopologyPlan {
  const shared = defined({ ...parentEnv, ...opts.env });
  const sidecars = !!opts.dapr;
  const processes: PlannedProcess[] = [];
  const tokens = {} as Record<FunctionName, SidecarTokens>;
  // The gateway uses no event key or sidecar token: it gets none of them.
  const gatewayEnv: Record<string, string> = {
    ...without(shared, ['EVENT_SIGNING_KEY', 'DAPR_API_TOKEN', 'APP_API_TOKEN']),
    PORT: String(opts.gatewayPort),
  };
  for (const fn of functionProcesses) {
    const port = opts.ports?.[fn.name] ?? routes[fn.name].port;
    tokens[fn.name] = (opts.tokens ?? randomSidecarTokens)(fn.name);
    // What this function may get, and nothing of it that it does not need, whatever the parent had.
    const values = defined({
      ...only(shared, processEnvNames),
      EVENT_TRANSPORT: sidecars ? 'dapr' : shared.EVENT_TRANSPORT,
      ...tokenEnv(tokens[fn.name]),
    });
    const env = {
      ...without(shared, processEnvNames),
      ...only(values, envNamesOf(fn, { sidecars })),
      PORT: String(port),
    };
    if (opts.dapr && fn.sidecar) {
      const ports = opts.dapr.ports?.[fn.name] ?? sidecarPortsFor(port);
      Object.assign(env, { DAPR_HOST: '127.0.0.1', DAPR_HTTP_PORT: String(ports.http) });
      const { resourcesPath, configPath, logLevel } = opts.dapr;
      processes.push({
        name: `${fn.name} (dapr)`,
        kind: 'sidecar',
        fn,
        command: daprdPath(),
        args: sidecarArgs({ appId: fn.service, appPort: port, ports, resourcesPath, configPath, logLevel }),
        // The function and its sidecar share its tokens; nobody else gets them.
        env: { ...without(shared, processEnvNames), ...only(values, sidecarEnvNames(fn)) },
        health: `http://127.0.0.1:${ports.http}/v1.0/healthz`,
      });
    }
    processes.push({
      name: fn.name,
      kind: 'function',
      fn,
      command: node,
      args: withTsx('functions/serve-one.ts', fn.name),
      env,
      health: `http://127.0.0.1:${port}/health`,
    });
    gatewayEnv[`FUNCTION_URL_${envSuffix(fn.name)}`] = `http://127.0.0.1:${port}`;
  }
  processes.push({
    name: 'gateway',
    kind: 'gateway',
    command: node,
    args: withTsx('gateway/main.ts'),
    env: gatewayEnv,
    health: `http://127.0.0.1:${opts.gatewayPort}/health`,
  });
  return { processes, tokens };
}
