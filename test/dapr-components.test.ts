import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { renderComponents } from '../scripts/dapr/components.ts';
import { daprdPath, sidecarArgs } from '../scripts/dapr/daprd.ts';
import { freePorts, infraUrls, requireDaprd, requireInfra } from './support/infra.ts';

const ready = (await requireInfra('kafka')) && requireDaprd();
const root = new URL('..', import.meta.url).pathname;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

/** The Components of a folder: name and the app ids that load it (scopes). */
async function componentsIn(dir: string): Promise<{ name: string; scopes: string[] }[]> {
  const found: { name: string; scopes: string[] }[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) {
      const r = doc.toJS() as { kind?: string; metadata?: { name: string }; scopes?: string[] };
      if (r.kind === 'Component') found.push({ name: r.metadata!.name, scopes: r.scopes ?? [] });
    }
  }
  return found;
}

/**
 * Starts daprd without an app on `resources`; resolves with its metadata and log once it is up, or
 * rejects with its log.
 */
async function loadWith(appId: string, resources: string) {
  const [http, grpc, internalGrpc, metrics] = (await freePorts(4)) as [number, number, number, number];
  const args = sidecarArgs({
    appId,
    ports: { http, grpc, internalGrpc, metrics },
    resourcesPath: resources,
    configPath: join(resources, 'config.yaml'),
  });
  const child = spawn(daprdPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const log: string[] = [];
  child.stdout!.on('data', (d) => log.push(...String(d).split('\n').filter(Boolean)));
  child.stderr!.on('data', (d) => log.push(...String(d).split('\n').filter(Boolean)));
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`http://127.0.0.1:${http}/v1.0/healthz/outbound`).then(
      (r) => r.status === 204,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`daprd ${appId} did not start on ${resources}:\n${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const metadata = (await (await fetch(`http://127.0.0.1:${http}/v1.0/metadata`)).json()) as {
    components?: { name: string }[];
  };
  child.kill('SIGTERM');
  return { loaded: (metadata.components ?? []).map((c) => c.name).sort(), log };
}

describe.runIf(ready)('every Dapr resource in components/ loads in a real daprd', () => {
  for (const folder of ['local', 'cluster']) {
    it(`components/${folder}: each app loads exactly the components scoped to it, with the configuration and resiliency, without errors`, async () => {
      // Cluster resources name the cluster's Kafka: rendered with the local brokers, all else as is.
      const dir = await mkdtemp(join(tmpdir(), `daprps-components-${folder}-`));
      try {
        await renderComponents(join(root, 'components', folder), dir, {
          brokers: new URL(infraUrls.kafka).host,
          prefix: '',
        });
        const components = await componentsIn(dir);
        expect(components.length).toBeGreaterThan(0);
        const apps = [...new Set(components.flatMap((c) => c.scopes)), 'get-product'];
        const results = await Promise.all(apps.map((app) => loadWith(app, dir)));
        const everyLoaded = new Set<string>();
        results.forEach(({ loaded, log }, i) => {
          const app = apps[i]!;
          expect(loaded, app).toEqual(
            components
              .filter((c) => c.scopes.includes(app))
              .map((c) => c.name)
              .sort(),
          );
          for (const name of loaded) everyLoaded.add(name);
          expect(
            log.some((l) => l.includes('Loading Resiliency configuration: daprps')),
            app,
          ).toBe(true);
          expect(
            log.filter((l) => /"level":"(error|fatal)"/.test(l)),
            app,
          ).toEqual([]);
        });
        expect([...everyLoaded].sort()).toEqual(components.map((c) => c.name).sort());
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
