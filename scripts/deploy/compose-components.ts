import { daprFiles } from './dapr-files.ts';
import { local } from './dapr-targets.ts';

/** Where compose's sidecars find their resources (mounted at /components): `components/local` with compose's addresses. */
export const composeComponentsDir = 'components/compose';

/** The addresses the sidecars reach in compose: the `kafka` and `zipkin` services. */
export const composeAddresses = { brokers: 'kafka:9092', zipkin: 'http://zipkin:9411/api/v2/spans' };

/** `text` with every quoted `from` replaced by `to`; throws when `from` is not quoted in it (the local resources changed shape). */
const swap = (text: string, from: string, to: string, file: string, expected: boolean) => {
  if (expected && !text.includes(`"${from}"`)) throw new Error(`${file} no longer holds "${from}": update scripts/deploy/compose-components.ts`);
  return text.replaceAll(`"${from}"`, `"${to}"`);
};

/**
 * The resources of compose's sidecars: every resource of `components/local` as generated (names,
 * types, scopes, metadata, resiliency, configuration: what Kubernetes gets too) with compose's
 * Kafka brokers and Zipkin endpoint instead of this machine's.
 */
export function composeComponents(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [path, text] of daprFiles()) {
    if (!path.startsWith('components/local/')) continue;
    const file = path.slice('components/local/'.length);
    const kafka = /^  type: (bindings|pubsub)\.kafka$/m.test(text);
    const configuration = /^kind: Configuration$/m.test(text);
    const changed = swap(swap(text, local.kafka, composeAddresses.brokers, path, kafka), local.zipkin, composeAddresses.zipkin, path, configuration);
    const [generated, ...rest] = changed.split('\n');
    files.set(`${composeComponentsDir}/${file}`, [
      generated,
      `# For compose.yaml: ${path} with compose's addresses (Kafka ${composeAddresses.brokers}, Zipkin`,
      `# ${composeAddresses.zipkin}); every daprd of compose mounts this folder at /components.`,
      ...rest,
    ].join('\n'));
  }
  return files;
}
