/**
 * What must hold of a rendered overlay before it is applied, beyond what schemas and Knative's
 * validation check: the settings only its operator knows are supplied, not left as shipped.
 * Each rule answers what is wrong and how to supply it.
 */

// Kubernetes objects as rendered: loosely typed on purpose (every kind, any field missing).
type Obj = any;

/** Hosts that name nothing real (RFC 2606, RFC 6761): placeholders, never an operator's own. */
const placeholderHost = (host: string) => /(^|\.)(example(\.(com|net|org))?|invalid|localhost)$/i.test(host);

/** A workload's pod template: Knative Services and Jobs. */
const podSpecOf = (o: Obj): Obj | undefined =>
  (o?.kind === 'Service' && String(o.apiVersion).startsWith('serving.knative.dev/')) || o?.kind === 'Job'
    ? o.spec?.template?.spec
    : undefined;

const workloads = (objects: Obj[]) =>
  objects.filter((o) => podSpecOf(o)).map((o) => ({ o, containers: (podSpecOf(o).containers ?? []) as Obj[] }));

const label = (o: Obj) => `${o.kind} ${o.metadata?.name}`;

/** The shop's settings (the ConfigMap daprps-config, its name hashed or not). */
export const settingsOf = (objects: Obj[]): Record<string, string> =>
  objects.find((o) => o?.kind === 'ConfigMap' && /^daprps-config(-[a-z0-9]+)?$/.test(o.metadata?.name ?? ''))?.data ??
  {};

/** The registry of an image reference, if it names one (`registry[:port]/path[:tag][@digest]`). */
export function registryOf(image: string): string | undefined {
  const first = image.split('/')[0]!;
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : undefined;
}

/** The Job that creates the Kafka topics: it runs Kafka's own tools (a pinned public image), not the shop's. */
const isTopicsJob = (o: Obj) =>
  o?.kind === 'Job' && o.metadata?.labels?.['app.kubernetes.io/component'] === 'kafka-topics';

/** Every image of the shop must come from a registry of the operator's: Knative resolves tags to digests there. */
export function imageProblems(objects: Obj[]): string[] {
  const users = new Map<string, string[]>();
  for (const { o, containers } of workloads(objects).filter(({ o }) => !isTopicsJob(o)))
    for (const c of containers) users.set(c.image, [...(users.get(c.image) ?? []), label(o)]);
  const problems: string[] = [];
  for (const [image, by] of users) {
    const registry = registryOf(image);
    const where = `${by.length} workload${by.length > 1 ? 's' : ''}, e.g. ${by[0]}`;
    const name = image.split(/[:@]/)[0]!;
    if (!registry) {
      problems.push(
        `image "${image}" (${where}) names no registry: Knative resolves the tag to a digest at the image's registry, and a bare name is looked up on Docker Hub. Supply yours in your overlay: images: [{name: ${name}, newName: <registry>/${name.split('/').pop()}}] (or: kustomize edit set image ${name}=<registry>/${name.split('/').pop()}:<tag>)`,
      );
    } else if (placeholderHost(registry.replace(/:\d+$/, ''))) {
      problems.push(
        `image "${image}" (${where}) is on a placeholder registry (${registry}): supply your registry (images: newName)`,
      );
    }
  }
  if (users.size > 1)
    problems.push(
      `the workloads run ${users.size} images of the shop (${[...users.keys()].join(', ')}): the migrate Job and every Service must run the same one, or the schema is migrated for another version than the one serving`,
    );
  return problems;
}

/**
 * User tokens need a real identity provider (a JWKS over HTTPS), or a shared secret every Service
 * reads from a Secret.
 */
export function identityProblems(objects: Obj[]): string[] {
  const settings = settingsOf(objects);
  if (settings.AUTH === 'off') return ['AUTH=off: nobody would be authenticated; remove it'];
  const jwks = settings.JWT_JWKS_URL;
  if (jwks) {
    let url: URL;
    try {
      url = new URL(jwks);
    } catch {
      return [`JWT_JWKS_URL "${jwks}" is not a URL`];
    }
    if (url.protocol !== 'https:')
      return [`JWT_JWKS_URL "${jwks}" is not https: the keys that decide who a caller is must not travel in clear`];
    if (placeholderHost(url.hostname))
      return [
        `JWT_JWKS_URL "${jwks}" is a placeholder: supply your identity provider's JWKS (and JWT_ISSUER, JWT_AUDIENCE)`,
      ];
    return [];
  }
  const services = workloads(objects).filter(({ o }) => o.kind === 'Service');
  const readsSecret = (c: Obj) => (c.env ?? []).some((e: Obj) => e.name === 'JWT_SECRET' && e.valueFrom?.secretKeyRef);
  if (services.length && services.every(({ containers }) => readsSecret(containers[0]))) return [];
  return [
    'no identity provider: supply JWT_JWKS_URL (with JWT_ISSUER and JWT_AUDIENCE) in daprps-config, e.g. configMapGenerator: [{name: daprps-config, behavior: merge, literals: [JWT_JWKS_URL=https://<your provider>/.well-known/jwks.json]}]; without it every function makes its own random secret and refuses every token',
  ];
}

/** Environments sharing one Kafka must not share topics or consumer groups; MIGRATE=false needs the migrate Job. */
export function environmentProblems(objects: Obj[]): string[] {
  const settings = settingsOf(objects);
  const problems: string[] = [];
  if (settings.EVENT_TRANSPORT !== 'memory' && !settings.KAFKA_PREFIX) {
    problems.push(
      "KAFKA_PREFIX is not set: this environment would share topics and consumer groups with any other on the same Kafka (dev consuming prod's payments); set one per environment, and apply the Dapr components rendered with it",
    );
  }
  const migrates = objects.some(
    (o) =>
      o?.kind === 'Job' &&
      (podSpecOf(o).containers ?? []).some((c: Obj) => (c.command ?? []).join(' ').includes('dist/migrate.mjs')),
  );
  if (settings.MIGRATE === 'false' && !migrates)
    problems.push(
      'MIGRATE=false but no Job runs dist/migrate.mjs: nothing would migrate the database, and the functions refuse to start on an unmigrated one',
    );
  return problems;
}

/** Every rule, over a rendered overlay: empty when it may be applied. */
export const deployProblems = (objects: Obj[]): string[] => [
  ...imageProblems(objects),
  ...identityProblems(objects),
  ...environmentProblems(objects),
];
