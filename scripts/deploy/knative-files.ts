import { registry } from '../../functions/registry.ts';
import { routes, serviceName, type FunctionName } from '../../functions/routes.ts';
import { functionService, gatewayService, GENERATED } from './knative-service.ts';

/** The Knative base: a Service per function and for the gateway, and the kustomization listing them. */
export function knativeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of Object.keys(routes) as FunctionName[]) files.set(`knative/base/services/${serviceName(name)}.yaml`, functionService(name, registry[name].needs));
  files.set('knative/base/services/gateway.yaml', gatewayService());
  const services = [...files.keys()].map((p) => p.replace('knative/base/', '')).sort();
  files.set('knative/base/kustomization.yaml', [
    GENERATED,
    '# One Knative Service per function, plus the gateway and the shared ConfigMap.',
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'labels:',
    '  - pairs:',
    '      app.kubernetes.io/part-of: daprps',
    'resources:',
    '  - configmap.yaml',
    ...services.map((s) => `  - ${s}`),
    '',
  ].join('\n'));
  return files;
}
