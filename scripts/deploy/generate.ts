import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { registry } from '../../functions/registry.ts';
import { routes, serviceName, type FunctionName } from '../../functions/routes.ts';
import { functionService, gatewayService, GENERATED } from './knative-service.ts';

const root = new URL('../..', import.meta.url).pathname;

/** Every generated deployment file, by path from the repository root, with its content. */
export function deploymentFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const names = Object.keys(routes) as FunctionName[];
  for (const name of names) files.set(`knative/base/services/${serviceName(name)}.yaml`, functionService(name, registry[name].needs));
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

/** The generated files that differ from what is committed (or are missing), and committed ones nothing generates. */
export async function staleDeploymentFiles(): Promise<string[]> {
  const files = deploymentFiles();
  const stale: string[] = [];
  for (const [path, content] of files) {
    const committed = await readFile(join(root, path), 'utf8').catch(() => undefined);
    if (committed !== content) stale.push(path);
  }
  const services = (await readdir(join(root, 'knative/base/services'))).map((f) => `knative/base/services/${f}`);
  stale.push(...services.filter((p) => !files.has(p)));
  return stale;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--check')) {
    const stale = await staleDeploymentFiles();
    for (const path of stale) console.error(`stale: ${path} (run npm run generate:deploy)`);
    process.exit(stale.length ? 1 : 0);
  }
  for (const [path, content] of deploymentFiles()) await writeFile(join(root, path), content);
  console.log(`wrote ${deploymentFiles().size} files`);
}
