import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { knativeCheck } from '../scripts/k8s/knative-check.ts';
import { overlays, render, renderedObjects, toolsInstalled, validate, validateAll } from '../scripts/k8s/validate.ts';
import { requireTool } from './support/infra.ts';
import { withSourceTokens } from '../scripts/k8s/source-tokens.ts';
import { expectSourcesFeedHandlers } from './support/kafkasource-rules.ts';
import { expectServicesFollowRoutes } from './support/knative-rules.ts';

const ready = requireTool('kustomize, kubeconform and knative-check', toolsInstalled());

describe.runIf(ready)('Knative and Dapr manifests, rendered and validated offline', () => {
  it('renders every overlay and validates every object and Dapr resource strictly against the pinned schemas', async () => {
    const results = await validateAll();
    expect(results.map((r) => r.source)).toEqual([
      'knative/overlays/dev',
      'knative/overlays/kafkasource',
      'knative/overlays/prod',
      'components/local',
      'components/cluster',
    ]);
    for (const { source, checked } of results) {
      expect(checked.length, source).toBeGreaterThan(0);
      expect(
        checked.filter((c) => c.status !== 'statusValid'),
        source,
      ).toEqual([]);
    }
  }, 120_000);

  it('rejects an object with an unknown field, a wrong type, a bad annotation or an unknown kind', async () => {
    const dev = render('dev');
    const broken: [string, RegExp, string][] = [
      [dev.replace('readinessProbe:', 'readinesProbe:'), /readinesProbe/, 'Service'],
      [dev.replace('containerPort: 8080', 'containerPort: "eighty"'), /containerPort/, 'Service'],
      [
        dev.replace('autoscaling.knative.dev/min-scale: "0"', 'autoscaling.knative.dev/min-scale: 0'),
        /min-scale/,
        'Service',
      ],
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

  it("admits every rendered Service through Knative Serving's own defaulting and validation (its webhook's code)", () => {
    for (const overlay of overlays()) {
      const verdicts = knativeCheck(renderedObjects(overlay));
      expect(verdicts.length, overlay).toBe(
        renderedObjects(overlay).filter((o) => o.kind === 'Service' && o.apiVersion === 'serving.knative.dev/v1')
          .length,
      );
      expect(
        verdicts.filter((v) => v.errors),
        overlay,
      ).toEqual([]);
    }
  });

  it("refuses, by Knative's own validation, a reserved port, a reserved env name, an out-of-range min-scale and an unparsable image", () => {
    const [svc] = renderedObjects('dev').filter((o) => o.kind === 'Service' && o.metadata.name === 'get-product');
    const broken = (change: (s: any) => void) => {
      const copy = structuredClone(svc);
      change(copy);
      return copy;
    };
    const container = (s: any) => s.spec.template.spec.containers[0];
    const cases: [string, any, RegExp][] = [
      [
        'reserved port',
        broken((s) => (container(s).ports[0].containerPort = 9090)),
        /9090 is a reserved port.*containers\[0\]\.ports\.containerPort/s,
      ],
      [
        'reserved env name',
        broken((s) => container(s).env.push({ name: 'PORT', value: '8081' })),
        /PORT.*reserved.*env|env.*PORT/is,
      ],
      [
        'min-scale out of range',
        broken((s) => (s.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale'] = '-1')),
        /-1.*annotations\.autoscaling\.knative\.dev\/min-scale/s,
      ],
      ['unparsable image', broken((s) => (container(s).image = 'Not An Image!')), /image/],
    ];
    const verdicts = knativeCheck(cases.map(([, s]) => s));
    for (const [i, [what, , message]] of cases.entries()) expect(verdicts[i]?.errors, what).toMatch(message);
    expect(knativeCheck([svc])).toEqual([{ name: 'get-product' }]);
  });

  for (const overlay of ['dev', 'prod']) {
    it(`${overlay}: as rendered, one Service per function and the gateway in daprps-${overlay}, scaled as their kind needs, on no reserved port`, () => {
      expect(overlays()).toContain(overlay);
      const services = renderedObjects(overlay).filter(
        (o) => o.kind === 'Service' && o.apiVersion === 'serving.knative.dev/v1',
      );
      // prod: two gateway pods and two per event handler, so a drain can take one (PodDisruptionBudgets).
      expectServicesFollowRoutes(services, overlay === 'prod' ? '2' : '0', overlay === 'prod' ? '2' : '1');
      for (const svc of services) expect(svc.metadata.namespace, svc.metadata.name).toBe(`daprps-${overlay}`);
    });
  }

  it('kafkasource: dev with the event handlers fed by KafkaSources (scale from zero), the sidecars loading no input binding', () => {
    expect(overlays()).toContain('kafkasource');
    expectSourcesFeedHandlers(renderedObjects('kafkasource'), renderedObjects('dev'));
  });

  it("validates the KafkaSources against eventing-kafka's CRD, with the tokens set at deploy time, and refuses a wrong one", async () => {
    const sources = renderedObjects('kafkasource').filter((o) => o.kind === 'KafkaSource');
    const deployed = withSourceTokens(sources, () => 'app-token-0123456789abcdef');
    expect((await validate({ yaml: deployed.map((o) => stringify(o)).join('---\n') })).map((c) => c.status)).toEqual(
      sources.map(() => 'statusValid'),
    );
    const broken: [(s: any) => void, RegExp][] = [
      [(s) => (s.spec.ceOverride = s.spec.ceOverrides), /ceOverride/],
      [(s) => (s.spec.delivery.retry = 'many'), /retry/],
      [(s) => (s.spec.ceOverrides.extensions.apptoken = 42), /apptoken/],
      [(s) => (s.spec.sink.ref = { name: 'no-kind' }), /kind/],
    ];
    for (const [change, message] of broken) {
      const copy = structuredClone(deployed[0]);
      change(copy);
      const [checked] = await validate({ yaml: stringify(copy) });
      expect(checked, String(message)).toMatchObject({
        kind: 'KafkaSource',
        status: 'statusInvalid',
        msg: expect.stringMatching(message),
      });
    }
  }, 120_000);
});
