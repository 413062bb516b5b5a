import { expect } from 'vitest';
import { registry } from '../../functions/registry.ts';
import { functionProcesses } from '../../scripts/deploy/function-processes.ts';
import { routes, serviceName, type FunctionName } from '../../functions/routes.ts';

/** The Knative Services there must be: one per function of the route table, and the gateway. */
export const everyService = [...functionProcesses.map((p) => p.service), 'gateway'].sort();
/** The Services with a Dapr sidecar: the functions that use events. */
export const sidecarServices = functionProcesses
  .filter((p) => p.sidecar)
  .map((p) => p.service)
  .sort();
/** The Services of event handlers (an event route, guarded by an app API token). */
export const handlerServices = functionProcesses
  .filter((p) => p.handler)
  .map((p) => p.service)
  .sort();

/** Ports Knative's queue-proxy and activator own inside a pod. */
const RESERVED_PORTS = [8012, 8013, 8022, 9090, 9091, 8008];

/**
 * The rules a schema cannot check, for a set of Knative Services (the base, or an overlay as
 * rendered): one per function of the route table, running that function (with its Dapr sidecar
 * when it uses events), and the gateway; HTTP functions scale to zero with a target concurrency, event handlers never
 * do (one pod, or `handlerMinScale`); no reserved port for the app or Dapr's metrics.
 */
export function expectServicesFollowRoutes(services: any[], gatewayMinScale: string, handlerMinScale = '1'): void {
  const byName = new Map(services.map((s) => [s.metadata.name, s]));
  expect([...byName.keys()].sort()).toEqual(everyService);
  for (const svc of services) {
    const annotations = svc.spec.template.metadata.annotations;
    const ports = svc.spec.template.spec.containers.flatMap((c: any) =>
      (c.ports ?? []).map((p: any) => p.containerPort),
    );
    for (const port of [...ports, Number(annotations['dapr.io/metrics-port'] ?? 0)])
      expect(RESERVED_PORTS, svc.metadata.name).not.toContain(port);
  }
  for (const [name, route] of Object.entries(routes)) {
    const svc = byName.get(serviceName(name));
    expect(
      svc.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'FUNCTION')?.value,
      name,
    ).toBe(name);
    const annotations = svc.spec.template.metadata.annotations;
    // A sidecar only where Dapr is used: the functions that publish or receive events.
    const usesDapr = registry[name as FunctionName].needs.includes('events');
    expect(annotations['dapr.io/enabled'], name).toBe(usesDapr ? 'true' : undefined);
    if (usesDapr) expect(annotations['dapr.io/app-id'], name).toBe(serviceName(name));
    expect(annotations['autoscaling.knative.dev/min-scale'], name).toBe(route.kind === 'event' ? handlerMinScale : '0');
    if (route.kind === 'request') expect(annotations['autoscaling.knative.dev/target'], name).toMatch(/^\d+$/);
  }
  expect(byName.get('gateway').spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']).toBe(
    gatewayMinScale,
  );
}
