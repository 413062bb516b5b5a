import { functionService, gatewayService, GENERATED } from './knative-service.ts';
import { functionProcesses } from './function-processes.ts';
import { topicsJob } from './topics-job.ts';

/**
 * Where a Knative Service refers to a ConfigMap, for kustomize, which knows these paths only in
 * Kubernetes' own kinds: with them the generated `daprps-config-<hash>` name reaches the Services,
 * so a change of a setting changes the revision template and Knative makes a new Revision.
 */
const kustomizeConfig = [
  GENERATED,
  '# Where a Knative Service names a ConfigMap: kustomize puts the generated (hashed) name there.',
  'nameReference:',
  '  - kind: ConfigMap',
  '    version: v1',
  '    fieldSpecs:',
  ...[
    'spec/template/spec/containers/envFrom/configMapRef/name',
    'spec/template/spec/containers/env/valueFrom/configMapKeyRef/name',
    'spec/template/spec/volumes/configMap/name',
  ].flatMap((path) => ['      - group: serving.knative.dev', '        kind: Service', `        path: ${path}`]),
  '',
].join('\n');

/** The Knative base: a Service per function and for the gateway, the topics Job, and the kustomization listing them. */
export function knativeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of functionProcesses) files.set(`knative/base/services/${p.service}.yaml`, functionService(p));
  files.set('knative/base/services/gateway.yaml', gatewayService());
  files.set('knative/base/kafka-topics-job.yaml', topicsJob());
  const resources = [...files.keys()].map((p) => p.replace('knative/base/', '')).sort();
  files.set('knative/base/kustomizeconfig.yaml', kustomizeConfig);
  files.set(
    'knative/base/kustomization.yaml',
    [
      GENERATED,
      '# One Knative Service per function, plus the gateway, the Job creating the topics, and the shared settings.',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'labels:',
      '  - pairs:',
      '      app.kubernetes.io/part-of: daprps',
      'resources:',
      ...resources.map((s) => `  - ${s}`),
      '# The settings every Service reads (config.env, written by hand), as a ConfigMap whose name',
      '# carries a hash of its content: overlays merge their own settings in, and any change rolls out.',
      'configMapGenerator:',
      '  - name: daprps-config',
      '    envs:',
      '      - config.env',
      'configurations:',
      '  - kustomizeconfig.yaml',
      '',
    ].join('\n'),
  );
  return files;
}
