import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { daprVersion } from '../dapr/daprd.ts';

/**
 * Where the schemas come from, all through the Go module proxy: Kubernetes' own OpenAPI
 * (core kinds), Knative Serving's CRDs, Dapr's CRDs and the CRDs of Knative's Kafka
 * components (KafkaSource, ...), at pinned releases. The module of the latter,
 * knative.dev/eventing-kafka-broker, is not served by the proxy (its versions answer 403); the
 * Knative Operator's module ships each release's manifests it installs, CRDs included.
 */
export const schemaSources = {
  kubernetes: 'k8s.io/kubernetes@v1.34.2',
  knative: 'knative.dev/serving@v0.51.0',
  dapr: `github.com/dapr/dapr@${daprVersion}`,
  eventingKafka: 'knative.dev/operator@v0.42.2',
};

/** The manifest of eventing-kafka-broker 1.15 (its controller, with the CRDs) inside the operator's module. */
const EVENTING_KAFKA_MANIFEST = 'cmd/operator/kodata/eventing-source/1.15/kafka/eventing-kafka-controller.yaml';

type Schema = Record<string, any>;

/** A module's folder in the Go module cache, downloaded when missing. */
function moduleDir(module: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', module], {
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
  });
  const dir = (JSON.parse(out) as { Dir?: string; Error?: string }).Dir;
  if (!dir) throw new Error(`could not download ${module}: ${out}`);
  return dir;
}

/**
 * Makes an OpenAPI schema a strict JSON schema, as the API server reads it: objects with known
 * properties accept no others (unless marked to keep unknown fields), int-or-string and
 * nullable become unions.
 */
function strict(s: Schema): Schema {
  if (Array.isArray(s)) return s.map(strict);
  if (!s || typeof s !== 'object') return s;
  const out: Schema = Object.fromEntries(
    Object.entries(s).map(([k, v]) => [k, k === 'enum' || k === 'default' || k === 'example' ? v : strict(v)]),
  );
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields'])
    out.additionalProperties = false;
  if (out.format === 'int-or-string' || out['x-kubernetes-int-or-string']) {
    delete out.type;
    delete out.format;
    delete out.anyOf;
    out.oneOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (out.nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

/** Inlines `#/definitions/...` references (a reference back into itself is left open). */
function inline(s: Schema, definitions: Record<string, Schema>, seen: string[] = []): Schema {
  if (Array.isArray(s)) return s.map((x) => inline(x, definitions, seen));
  if (!s || typeof s !== 'object') return s;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/definitions/', '');
    if (seen.includes(name)) return {};
    return inline(definitions[name]!, definitions, [...seen, name]);
  }
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === 'enum' ? v : inline(v, definitions, seen)]));
}

/** Pins `apiVersion` and `kind` of a top-level schema. */
function pinned(s: Schema, apiVersion: string, kind: string): Schema {
  return {
    ...s,
    properties: {
      ...s.properties,
      apiVersion: { type: 'string', enum: [apiVersion] },
      kind: { type: 'string', enum: [kind] },
    },
    required: [...new Set([...(s.required ?? []), 'apiVersion', 'kind'])],
  };
}

/** kubeconform's file layout for `{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`. */
const fileFor = (group: string, version: string, kind: string) =>
  join(group || version, `${kind.toLowerCase()}_${version}.json`);

/** Every kind of Kubernetes' OpenAPI (v2), and its ObjectMeta for the CRDs. */
async function kubernetesSchemas(dir: string): Promise<{ files: Map<string, Schema>; objectMeta: Schema }> {
  const swagger = JSON.parse(await readFile(join(dir, 'api/openapi-spec/swagger.json'), 'utf8')) as {
    definitions: Record<string, Schema>;
  };
  const files = new Map<string, Schema>();
  for (const def of Object.values(swagger.definitions)) {
    for (const gvk of (def['x-kubernetes-group-version-kind'] ?? []) as {
      group: string;
      version: string;
      kind: string;
    }[]) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      files.set(
        fileFor(gvk.group, gvk.version, gvk.kind),
        pinned(strict(inline(def, swagger.definitions)), apiVersion, gvk.kind),
      );
    }
  }
  const objectMeta = strict(
    inline(swagger.definitions['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!, swagger.definitions),
  );
  return { files, objectMeta };
}

/** The schemas of the CRDs in `files`, metadata validated as Kubernetes' ObjectMeta. */
async function crdSchemas(files: string[], objectMeta: Schema): Promise<Map<string, Schema>> {
  const out = new Map<string, Schema>();
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      const crd = doc.toJS() as Schema | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const { group, names } = crd.spec;
      for (const version of crd.spec.versions as Schema[]) {
        const schema = strict(version.schema.openAPIV3Schema);
        // Some (KafkaChannel's consumers) keep every field: no properties to validate but metadata.
        schema.properties = { ...schema.properties, metadata: objectMeta };
        out.set(fileFor(group, version.name, names.kind), pinned(schema, `${group}/${version.name}`, names.kind));
      }
    }
  }
  return out;
}

/**
 * Builds the strict JSON schemas kubeconform validates against, once per set of pinned
 * versions, into the cache; returns kubeconform's `-schema-location` for them.
 */
export async function buildSchemas(env: Record<string, string | undefined> = process.env): Promise<string> {
  const cache = env.DAPRPS_CACHE_DIR ?? join(env.HOME ?? homedir(), '.cache/daprps');
  const tag = Object.values(schemaSources)
    .map((m) => m.replace(/[^A-Za-z0-9.]+/g, '_'))
    .join('+');
  const dir = join(cache, 'schemas', tag);
  const location = `${dir}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`;
  if (existsSync(join(dir, '.complete'))) return location;
  const k8s = await kubernetesSchemas(moduleDir(schemaSources.kubernetes));
  const knativeDir = join(moduleDir(schemaSources.knative), 'config/core/300-resources');
  const daprDir = join(moduleDir(schemaSources.dapr), 'charts/dapr/crds');
  const crdFiles = [
    ...(await readdir(knativeDir)).filter((f) => f.endsWith('.yaml')).map((f) => join(knativeDir, f)),
    ...(await readdir(daprDir)).filter((f) => f.endsWith('.yaml')).map((f) => join(daprDir, f)),
    join(moduleDir(schemaSources.eventingKafka), EVENTING_KAFKA_MANIFEST),
  ];
  const all = new Map([...k8s.files, ...(await crdSchemas(crdFiles, k8s.objectMeta))]);
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  for (const [file, schema] of all) {
    await mkdir(dirname(join(partial, file)), { recursive: true });
    await writeFile(join(partial, file), JSON.stringify(schema));
  }
  await writeFile(join(partial, '.complete'), `${all.size} schemas\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  return location;
}
