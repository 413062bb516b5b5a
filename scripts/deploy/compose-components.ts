import { daprResources } from './dapr-files.ts';
import { local } from './dapr-targets.ts';

/**
 * Where compose's sidecars find their resources (mounted at /components): `components/local` with
 * compose's addresses.
 */
export const composeComponentsDir = 'components/compose';

/** The addresses the sidecars reach in compose: the `kafka` and `zipkin` services. */
export const composeAddresses = { brokers: 'kafka:9092', zipkin: 'http://zipkin:9411/api/v2/spans' };

/**
 * The resources of compose's sidecars: those of `components/local` (names, types, scopes,
 * metadata, resiliency, configuration: what Kubernetes gets too) with compose's Kafka brokers and
 * Zipkin endpoint instead of this machine's.
 */
export function composeComponents(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [file, text] of daprResources({
    ...local,
    kafka: composeAddresses.brokers,
    zipkin: composeAddresses.zipkin,
  })) {
    const [generated, ...rest] = text.split('\n');
    files.set(
      `${composeComponentsDir}/${file}`,
      [
        generated,
        `# For compose.yaml: components/local/${file} with compose's addresses (Kafka ${composeAddresses.brokers}, Zipkin`,
        `# ${composeAddresses.zipkin}); every daprd of compose mounts this folder at /components.`,
        ...rest,
      ].join('\n'),
    );
  }
  return files;
}
