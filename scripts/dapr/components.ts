import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isSeq, parseAllDocuments, type Document } from 'yaml';

/** What differs between the resources in `components/local` and the ones a run uses. */
export interface ComponentsOptions {
  /** Kafka bootstrap brokers, comma separated. */
  brokers: string;
  /** Prefix of every topic and consumer group (`KAFKA_PREFIX`), so runs on one Kafka stay apart. */
  prefix: string;
}

const kafkaTypes = new Set(['bindings.kafka', 'pubsub.kafka']);
const prefixed = new Set(['topics', 'publishTopic', 'consumerGroup']);

/** `app=topic,topic;app=...` with every topic prefixed. */
const prefixScopes = (scopes: string, prefix: string) =>
  scopes
    .split(';')
    .map((scope) => {
      const [app, topics = ''] = scope.split('=');
      return `${app}=${topics
        .split(',')
        .filter(Boolean)
        .map((t) => `${prefix}${t.trim()}`)
        .join(',')}`;
    })
    .join(';');

/** One resource with Kafka addresses and names adjusted; comments and everything else kept. */
function adjust(doc: Document, o: ComponentsOptions): void {
  if (doc.get('kind') !== 'Component' || !kafkaTypes.has(String(doc.getIn(['spec', 'type'])))) return;
  const items = doc.getIn(['spec', 'metadata']);
  if (!isSeq(items)) return;
  for (const item of items.items) {
    if (!isMap(item)) continue;
    const name = String(item.get('name'));
    const value = String(item.get('value'));
    if (name === 'brokers') item.set('value', o.brokers);
    else if (prefixed.has(name))
      item.set(
        'value',
        value
          .split(',')
          .map((t) => `${o.prefix}${t.trim()}`)
          .join(','),
      );
    else if (name === 'publishingScopes') item.set('value', prefixScopes(value, o.prefix));
  }
}

/**
 * Writes the resources of `from` (components/local) into `to` for a run on other brokers or
 * with a topic prefix: Kafka brokers, topics and consumer groups change; names, scopes,
 * resiliency and configuration stay. Returns the files written.
 */
export async function renderComponents(from: string, to: string, o: ComponentsOptions): Promise<string[]> {
  await mkdir(to, { recursive: true });
  const files = (await readdir(from)).filter((f) => f.endsWith('.yaml'));
  for (const file of files) {
    const docs = parseAllDocuments(await readFile(join(from, file), 'utf8'));
    const out: string[] = [];
    for (const doc of docs) {
      if (!('errors' in doc) || doc.errors.length)
        throw new Error(`${file}: ${'errors' in doc ? doc.errors[0]?.message : 'not YAML'}`);
      adjust(doc, o);
      out.push(doc.toString());
    }
    await writeFile(join(to, file), out.join('---\n'));
  }
  return files;
}

/**
 * The sidecars' resources for a run: `components/local` rendered into `dir` for the brokers and
 * topic prefix of the configuration, and the Dapr Configuration among them.
 */
export async function localResources(
  dir: string,
  o: ComponentsOptions,
): Promise<{ resourcesPath: string; configPath: string }> {
  await renderComponents(new URL('../../components/local', import.meta.url).pathname, dir, o);
  return { resourcesPath: dir, configPath: join(dir, 'config.yaml') };
}
