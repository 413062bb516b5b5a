import { registry } from '../../functions/registry.ts';
import type { FunctionName } from '../../functions/routes.ts';

/** CPU and memory of a container. */
export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** How one Knative Service runs: its scale, its requests, its shutdown and its containers' resources. */
export interface Profile {
  /** Most pods of a revision (`autoscaling.knative.dev/max-scale`): what bounds its PostgreSQL connections. */
  maxScale: number;
  /** Requests a pod takes at once (`containerConcurrency`); the queue-proxy or activator holds the rest. */
  containerConcurrency: number;
  /** Concurrent requests per pod the autoscaler aims at (`autoscaling.knative.dev/target`), below the hard limit. */
  target: number;
  /** PostgreSQL connections of a pod's pool (`DATABASE_POOL_MAX`), for a function with a database. */
  pool: number;
  /**
   * The longest a request may take, and the pod's termination grace period (Knative sets one from
   * the other): room for the queue-proxy's drain, the app's shutdown and, with Dapr, daprd's
   * (scripts/deploy/shutdown-timing.ts; test/prod-capacity.test.ts checks the relation).
   */
  timeoutSeconds: number;
  /** The app container. */
  resources: Resources;
  /** The Dapr sidecar, for a function that uses events. */
  sidecar: Resources & { goMemLimit: string };
}

/** What every Service gets unless a row below says otherwise. */
export const defaultProfile: Profile = {
  maxScale: 2,
  containerConcurrency: 100,
  target: 50,
  pool: 2,
  timeoutSeconds: 60,
  resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  // Dapr's production guidelines' starting point for a sidecar ("Sidecar resource settings"), with
  // a soft memory limit under the hard one so Go's collector frees memory before the OOM killer.
  sidecar: {
    requests: { cpu: '100m', memory: '250Mi' },
    limits: { cpu: '300m', memory: '1000Mi' },
    goMemLimit: '900MiB',
  },
};

/**
 * The termination grace a function with a Dapr sidecar (one that uses events) needs: daprd outlives
 * its app by design.
 */
const withDapr = { timeoutSeconds: 75 };

/**
 * Per-function differences from {@link defaultProfile}: the one place they are written. The
 * scale bounds and pools are sized together against {@link postgres} (the arithmetic is in
 * test/prod-capacity.test.ts): reads of the catalog and checkout scale furthest, admin writes
 * least; event handlers run two pods (one consumes, one stands by in the same consumer group).
 */
export const profiles: Partial<Record<FunctionName | 'gateway', Partial<Profile>>> = {
  gateway: { maxScale: 10 },
  'list-products': { maxScale: 4, pool: 3 },
  'get-product': { maxScale: 3, pool: 3 },
  'create-product': { maxScale: 1 },
  'update-product': { maxScale: 1 },
  'delete-product': { maxScale: 1 },
  'adjust-stock': { maxScale: 1 },
  'get-basket': { maxScale: 3 },
  'add-to-basket': { maxScale: 3 },
  'remove-from-basket': { maxScale: 3 },
  'clear-basket': { maxScale: 3 },
  'process-payment': { maxScale: 4, pool: 4 },
  // An operator's occasional read of two tables: one pod, one connection.
  'reconcile-payments': { maxScale: 1, pool: 1 },
};

/**
 * The PostgreSQL the scale bounds are sized for (an operator setting: knative/README.md). Every
 * function pod holds up to its pool plus one LISTEN connection where it caches the catalog.
 */
export const postgres = {
  /** Its `max_connections`. */
  maxConnections: 200,
  /** Its `superuser_reserved_connections` (PostgreSQL's default): not ours to use. */
  superuserReserved: 3,
  /** Kept free for everything else: operators' psql, backups, monitoring. */
  otherClients: 10,
};

/** The profile of a Service: the defaults, a sidecar's grace where events are used, then its own row. */
export const profileOf = (name: FunctionName | 'gateway'): Profile => ({
  ...defaultProfile,
  ...(name !== 'gateway' && registry[name].needs.includes('events') ? withDapr : {}),
  ...profiles[name],
});
