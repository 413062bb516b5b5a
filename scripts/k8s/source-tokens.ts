import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';
import { APP_TOKEN_ATTRIBUTE } from '../../platform/security/event-caller.ts';

/** Reads the app token in a namespace's Secret (key `token`). */
export type TokenOf = (namespace: string, secret: string) => string;

/**
 * The Secret with the app token of the handler a KafkaSource feeds: the one its Service reads
 * (`daprps-app-token-<service>`).
 */
export const appTokenSecret = (source: any): string => `daprps-app-token-${source.spec.sink.ref.name}`;

/**
 * Gives every KafkaSource among `objects` the app token of the handler it feeds, as the CloudEvent
 * attribute it adds to each delivery (`spec.ceOverrides.extensions.apptoken`, the `ce-apptoken`
 * header): what the handler's event route requires. A source cannot read a Secret itself, so the
 * token is written into the object at deploy time and never into the repository.
 */
export function withSourceTokens(objects: any[], tokenOf: TokenOf): any[] {
  return objects.map((o) => {
    if (o?.kind !== 'KafkaSource') return o;
    const token = tokenOf(o.metadata.namespace, appTokenSecret(o));
    if (token.length < 16)
      throw new Error(
        `the Secret ${appTokenSecret(o)} in ${o.metadata.namespace} has no app token (key "token", 16+ characters) for KafkaSource ${o.metadata.name}`,
      );
    const extensions = { ...o.spec.ceOverrides?.extensions, [APP_TOKEN_ATTRIBUTE]: token };
    return { ...o, spec: { ...o.spec, ceOverrides: { ...o.spec.ceOverrides, extensions } } };
  });
}

/** The token in a Secret of the current kubectl context. */
const fromCluster: TokenOf = (namespace, secret) =>
  Buffer.from(
    execFileSync('kubectl', ['get', 'secret', '-n', namespace, secret, '-o', 'jsonpath={.data.token}'], {
      encoding: 'utf8',
    }),
    'base64',
  ).toString('utf8');

// kubectl kustomize knative/overlays/kafkasource | npx tsx scripts/k8s/source-tokens.ts | kubectl apply -f -
if (import.meta.url === `file://${process.argv[1]}`) {
  const objects = parseAllDocuments(readFileSync(0, 'utf8')).map((d) => d.toJS());
  process.stdout.write(
    withSourceTokens(objects, fromCluster)
      .map((o) => stringify(o))
      .join('---\n'),
  );
}
