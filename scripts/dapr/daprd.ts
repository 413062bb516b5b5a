import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The pinned Dapr release (`scripts/dapr/version`), built by `npm run dapr:install`. */
export const daprVersion = readFileSync(new URL('version', import.meta.url), 'utf8').trim();

/** Where `npm run dapr:install` puts daprd (or `DAPRD`, to use another build). */
export function daprdPath(env: Record<string, string | undefined> = process.env): string {
  if (env.DAPRD) return env.DAPRD;
  const cache = env.DAPRPS_CACHE_DIR ?? join(env.HOME ?? homedir(), '.cache/daprps');
  return join(cache, `dapr-${daprVersion}`, 'daprd');
}

/** Whether daprd is built; says how to build it when not. */
export function daprdInstalled(path = daprdPath()): { ok: true } | { ok: false; message: string } {
  return existsSync(path)
    ? { ok: true }
    : { ok: false, message: `daprd is not built at ${path}: build it with "npm run dapr:install"` };
}

/** The ports one sidecar listens on (all on loopback). */
export interface SidecarPorts {
  http: number;
  grpc: number;
  internalGrpc: number;
  metrics: number;
}

/**
 * The fixed sidecar ports of a function on its fixed port 81NN (`task dapr:up`): HTTP 35NN,
 * gRPC 500NN, internal gRPC 501NN, metrics 9094+NN (9095 for the first function: never 9090,
 * which Knative's queue-proxy owns).
 */
export function sidecarPortsFor(appPort: number): SidecarPorts {
  const n = appPort - 8100;
  return { http: 3500 + n, grpc: 50000 + n, internalGrpc: 50100 + n, metrics: 9094 + n };
}

/** What one sidecar serves: its app (id and port), its resources and configuration. */
export interface SidecarOptions {
  appId: string;
  /** Unset: a sidecar without an app (components load; input bindings do not consume). */
  appPort?: number;
  ports: SidecarPorts;
  resourcesPath: string;
  configPath: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/**
 * daprd's command line for a self-hosted sidecar without the dapr CLI, placement or scheduler
 * (actors, workflows and jobs stay off): HTTP app channel, JSON logs, loopback only.
 */
export function sidecarArgs(o: SidecarOptions): string[] {
  return [
    '--app-id',
    o.appId,
    ...(o.appPort === undefined ? [] : ['--app-port', String(o.appPort)]),
    '--app-protocol',
    'http',
    '--app-channel-address',
    '127.0.0.1',
    '--dapr-listen-addresses',
    '127.0.0.1',
    '--dapr-http-port',
    String(o.ports.http),
    '--dapr-grpc-port',
    String(o.ports.grpc),
    '--dapr-internal-grpc-port',
    String(o.ports.internalGrpc),
    '--dapr-internal-grpc-listen-address',
    '127.0.0.1',
    '--metrics-listen-address',
    '127.0.0.1',
    '--metrics-port',
    String(o.ports.metrics),
    '--resources-path',
    o.resourcesPath,
    '--config',
    o.configPath,
    '--log-as-json',
    '--log-level',
    o.logLevel ?? 'info',
  ];
}
