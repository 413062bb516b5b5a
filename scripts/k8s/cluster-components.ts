import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderComponents } from '../dapr/components.ts';
import { cluster as clusterTarget } from '../deploy/dapr-targets.ts';
import { renderDir } from './deploy-check.ts';
import { settingsOf } from './deploy-rules.ts';

const root = new URL('../..', import.meta.url).pathname;
const cluster = join(root, 'components/cluster');

/** The KAFKA_PREFIX of a rendered overlay (its daprps-config ConfigMap); empty when unset. */
export const kafkaPrefixOf = (yaml: string): string =>
  settingsOf(parseAllDocuments(yaml).map((d) => d.toJS())).KAFKA_PREFIX ?? '';

/**
 * Writes components/cluster into `outDir` for the environment a rendered overlay describes: every
 * Kafka topic (bindings' `topics`, the pub/sub's `publishingScopes`) and consumer group under the
 * overlay's KAFKA_PREFIX, which is what its functions publish to and check deliveries against;
 * the brokers as given (default: those components/cluster is generated with). Returns the prefix used.
 */
export async function clusterComponentsFor(
  overlayYaml: string,
  outDir: string,
  brokers = clusterTarget.kafka,
): Promise<string> {
  const prefix = kafkaPrefixOf(overlayYaml);
  if (!prefix)
    throw new Error("the overlay sets no KAFKA_PREFIX: its topics and consumer groups would be every environment's");
  await renderComponents(cluster, outDir, { brokers, prefix });
  return prefix;
}

// npx tsx scripts/k8s/cluster-components.ts <kustomization dir> <out dir> [--brokers host:port]
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, out] = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--brokers');
  const at = process.argv.indexOf('--brokers');
  if (!dir || !out) {
    console.error(
      'usage: npx tsx scripts/k8s/cluster-components.ts <kustomization dir> <out dir> [--brokers host:port]',
    );
    process.exit(2);
  }
  const prefix = await clusterComponentsFor(renderDir(dir), out, at > 0 ? process.argv[at + 1] : undefined);
  console.log(`wrote components/cluster into ${out} with topics and consumer groups under "${prefix}"`);
}
