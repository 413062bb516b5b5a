import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { overlays, render, toolsInstalled, validate, validateAll } from '../scripts/k8s/validate.ts';
import { requireTool } from './infra.ts';
import { expectServicesFollowRoutes } from './knative-rules.ts';

const ready = requireTool('kustomize and kubeconform', toolsInstalled());

/** An overlay's objects, as kustomize renders them. */
const objects = (overlay: string) => parseAllDocuments(render(overlay)).map((d) => d.toJS() as any);

describe.runIf(ready)('Knative and Dapr manifests, rendered and validated offline', () => {
  it('renders every overlay and validates every object and Dapr resource strictly against the pinned schemas', async () => {
    const results = await validateAll();
    expect(results.map((r) => r.source)).toEqual(['knative/overlays/dev', 'knative/overlays/prod', 'components/local', 'components/cluster']);
    for (const { source, checked } of results) {
      expect(checked.length, source).toBeGreaterThan(0);
      expect(checked.filter((c) => c.status !== 'statusValid'), source).toEqual([]);
    }
  }, 120_000);

  it('rejects an object with an unknown field, a wrong type, a bad annotation or an unknown kind', async () => {
    const dev = render('dev');
    const broken: [string, RegExp, string][] = [
      [dev.replace('readinessProbe:', 'readinesProbe:'), /readinesProbe/, 'Service'],
      [dev.replace('containerPort: 8080', 'containerPort: "eighty"'), /containerPort/, 'Service'],
      [dev.replace('autoscaling.knative.dev/min-scale: "0"', 'autoscaling.knative.dev/min-scale: 0'), /min-scale/, 'Service'],
      [dev.replace('kind: ConfigMap', 'kind: ConfigMapp'), /could not find schema/, 'ConfigMapp'],
      [dev.replace('  labels:', '  labelz:'), /labelz/, 'ConfigMap'],
    ];
    for (const [yaml, message, kind] of broken) {
      expect(yaml).not.toBe(dev);
      const bad = (await validate({ yaml })).filter((c) => c.status !== 'statusValid');
      expect(bad, String(message)).toHaveLength(1);
      expect(bad[0]).toMatchObject({ kind, msg: expect.stringMatching(message) });
    }
  }, 120_000);

  for (const overlay of ['dev', 'prod']) {
    it(`${overlay}: as rendered, one Service per function and the gateway in daprps-${overlay}, scaled as their kind needs, on no reserved port`, () => {
      expect(overlays()).toContain(overlay);
      const services = objects(overlay).filter((o) => o.kind === 'Service' && o.apiVersion === 'serving.knative.dev/v1');
      expectServicesFollowRoutes(services, overlay === 'prod' ? '1' : '0');
      for (const svc of services) expect(svc.metadata.namespace, svc.metadata.name).toBe(`daprps-${overlay}`);
    });
  }
});
