import { registry } from '../../functions/registry.ts';
import { routes, serviceName, type FunctionName } from '../../functions/routes.ts';
import type { Need } from '../../platform/define.ts';

/**
 * One function as its own process, as `task up`/`task dapr:up` (scripts/topology-plan.ts),
 * compose (compose-file.ts) and Knative run it.
 */
export interface FunctionProcess {
  /** Its name in the route table: what the launcher is told to serve. */
  name: FunctionName;
  /** Its service name: compose service, Knative Service, and its sidecar's Dapr app id. */
  service: string;
  needs: readonly Need[];
  /** A Kafka input binding delivers events to it: it has an event route, guarded by an app API token. */
  handler: boolean;
  /** A daprd sidecar runs beside it: it uses events (publishes them, or handles them). */
  sidecar: boolean;
}

/** Every function's process, in route-table order. */
export const functionProcesses: readonly FunctionProcess[] = (Object.keys(routes) as FunctionName[]).map((name) => ({
  name,
  service: serviceName(name),
  needs: registry[name].needs,
  handler: routes[name].kind === 'event',
  sidecar: registry[name].needs.includes('events'),
}));

/** The environment variables a function gets or not depending on its needs and its sidecar. */
export const processEnvNames = [
  'DATABASE_URL',
  'REDIS_URL',
  'EVENT_SIGNING_KEY',
  'EVENT_TRANSPORT',
  'DAPR_API_TOKEN',
  'APP_API_TOKEN',
] as const;

/** One of {@link processEnvNames}. */
export type ProcessEnvName = (typeof processEnvNames)[number];

/**
 * Which of {@link processEnvNames} a function may get. `sidecars`: whether the deployment runs
 * the daprd sidecars (`task dapr:up`, compose, Knative: then `EVENT_TRANSPORT=dapr`; not `task up`,
 * where events go through Kafka directly). The sidecar's tokens are the function's too; a
 * handler's app token is its own.
 */
export function envNamesOf(p: FunctionProcess, { sidecars }: { sidecars: boolean }): ProcessEnvName[] {
  const events = p.needs.includes('events');
  return [
    ...(p.needs.includes('database') ? (['DATABASE_URL'] as const) : []),
    ...(p.needs.includes('redis') ? (['REDIS_URL'] as const) : []),
    ...(events ? (['EVENT_SIGNING_KEY', 'EVENT_TRANSPORT'] as const) : []),
    ...(p.sidecar && sidecars ? (['DAPR_API_TOKEN'] as const) : []),
    ...(p.handler ? (['APP_API_TOKEN'] as const) : []),
  ];
}

/**
 * What a function's sidecar gets of the function's environment: the API token they share, and a
 * handler's app token.
 */
export const sidecarEnvNames = (p: FunctionProcess): ProcessEnvName[] =>
  p.handler ? ['APP_API_TOKEN', 'DAPR_API_TOKEN'] : ['DAPR_API_TOKEN'];
