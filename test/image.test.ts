import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type FunctionName, routes, serviceName } from '../functions/routes.ts';
import { envSuffix } from '../gateway/function-urls.ts';
import {
  containerLogs,
  docker,
  dockerSecurityFlags,
  envFlags,
  imageBuilt,
  type SecurityContext,
} from './support/container.ts';
import { freePorts, requireTool } from './support/infra.ts';
import { realInfraEnv } from './support/real-infra-env.ts';
import { dropSchema } from './support/running-shop.ts';

const root = new URL('..', import.meta.url).pathname;
const image = process.env.DAPRPS_IMAGE ?? 'daprps:latest';
const { ready: infraReady, env: infra } = await realInfraEnv();
const ready = infraReady && requireTool('container image', await imageBuilt(image));

/** The app container of a generated manifest (a Knative Service or the migrate Job). */
async function manifestContainer(file: string): Promise<{ securityContext: SecurityContext; command?: string[] }> {
  return parse(await readFile(join(root, file), 'utf8')).spec.template.spec.containers[0];
}
const serviceFile = (name: string) => `knative/base/services/${name}.yaml`;

/** A container started from the image, and how long it took to answer `/health/ready` with 200. */
interface Started {
  label: string;
  id: string;
  url: string;
  /** Until `docker run -d` returned (the container created and started). */
  runMs: number;
  readyMs: number;
}
const started: Started[] = [];
/** Every container the tests created, removed after them. */
const created: string[] = [];

/**
 * Starts the image as the manifest `file` runs it (its securityContext), on the host's network
 * (the infrastructure listens on loopback), listening on loopback only, on `port`.
 */
async function start(
  label: string,
  file: string,
  env: Record<string, string>,
  port: number,
  withInfra = true,
): Promise<Started> {
  const flags = dockerSecurityFlags((await manifestContainer(file)).securityContext);
  // A function on the real infrastructure, migrated by the Job beforehand (MIGRATE=false, as in prod).
  const base = withInfra ? { ...infra, MIGRATE: 'false', DATABASE_POOL_MAX: '2' } : {};
  const all = { ...base, ...env, HOST: '127.0.0.1', PORT: String(port) };
  const t0 = performance.now();
  const id = (await docker('run', '-d', '--network', 'host', ...flags, ...envFlags(all), image)).trim();
  created.push(id);
  const runMs = performance.now() - t0;
  const url = `http://127.0.0.1:${port}`;
  for (let i = 1; ; i++) {
    const status = await fetch(`${url}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) {
      const s = { label, id, url, runMs, readyMs: performance.now() - t0 };
      started.push(s);
      return s;
    }
    const gone = i % 25 === 0 && (await docker('inspect', '-f', '{{.State.Running}}', id)).trim() !== 'true';
    if (gone || performance.now() - t0 > 60_000)
      throw new Error(`${label} is not ready (last answer ${status}): ${await containerLogs(id)}`);
    await sleep(20);
  }
}

/** Stops containers as the kubelet does (SIGTERM, then SIGKILL after the grace period); their exit codes. */
async function stop(ids: string[]): Promise<string[]> {
  await docker('stop', '-t', '10', ...ids);
  return Promise.all(ids.map(async (id) => (await docker('inspect', '-f', '{{.State.ExitCode}}', id)).trim()));
}

describe.runIf(ready)(`the production image (${image}) as Knative runs it`, () => {
  afterAll(async () => {
    if (created.length) await docker('rm', '-f', ...created);
    await dropSchema(infra);
  });

  it("runs as the manifests' user, with no capability, no privilege escalation and the default seccomp filter", async () => {
    const flags = dockerSecurityFlags((await manifestContainer(serviceFile('get-product'))).securityContext);
    const out = await docker(
      'run',
      '--rm',
      ...flags,
      image,
      'sh',
      '-c',
      'id -u; id -g; grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status',
    );
    expect(out.split('\n').map((l) => l.replace(/\s+/g, ' ').trim())).toEqual(
      expect.arrayContaining(['1000', '1000', 'CapEff: 0000000000000000', 'NoNewPrivs: 1', 'Seccomp: 2']),
    );
  });

  it("migrates a fresh PostgreSQL schema with the prod Job's command (node dist/migrate.mjs)", async () => {
    const job = await manifestContainer('knative/overlays/prod/migrate-job.yaml');
    expect(job.command).toEqual(['node', 'dist/migrate.mjs']);
    const env = { DATABASE_URL: infra.DATABASE_URL!, DATABASE_SCHEMA: infra.DATABASE_SCHEMA!, DATABASE_POOL_MAX: '1' };
    const flags = dockerSecurityFlags(job.securityContext);
    const out = await docker('run', '--rm', '--network', 'host', ...flags, ...envFlags(env), image, ...job.command!);
    expect(out).toContain('"msg":"database migrated"');
    expect(out).toContain('001_init.sql');
  }, 60_000);

  it('starts each function (FUNCTION=<name>) ready on /health/ready on the migrated schema, the gateway (no FUNCTION) forwarding to them, and each stops cleanly on SIGTERM', async () => {
    const names = Object.keys(routes) as FunctionName[];
    const ports = await freePorts(names.length + 1);
    // A few at a time: this machine has 2 cores, shared. They stay up for the gateway.
    for (let i = 0; i < names.length; i += 4)
      await Promise.all(
        names
          .slice(i, i + 4)
          .map((name) => start(name, serviceFile(serviceName(name)), { FUNCTION: name }, ports[names.indexOf(name)]!)),
      );
    // As on Knative (the overlays' FUNCTION_URL_TEMPLATE): forwarding to the functions, with no
    // database of its own; Redis for the rate limits, as in prod.
    const urls = Object.fromEntries(started.map((s) => [`FUNCTION_URL_${envSuffix(s.label)}`, s.url]));
    const gatewayEnv = {
      REDIS_URL: infra.REDIS_URL!,
      REDIS_PREFIX: infra.REDIS_PREFIX!,
      JWT_SECRET: infra.JWT_SECRET!,
      ...urls,
    };
    const gateway = await start('(gateway)', serviceFile('gateway'), gatewayEnv, ports[names.length]!, false);
    expect(await (await fetch(`${gateway.url}/health/live`)).json()).toMatchObject({
      service: 'gateway',
      mode: 'remote',
    });
    // Through the gateway to get-product, which reads the product the migration seeded.
    expect((await fetch(`${gateway.url}/api/v1/products/kettle`)).status).toBe(200);
    expect(await stop(started.map((s) => s.id))).toEqual(started.map(() => '0'));

    const [size, revision] = (
      await docker(
        'image',
        'inspect',
        image,
        '--format',
        '{{.Size}} {{index .Config.Labels "org.opencontainers.image.revision"}}',
      )
    )
      .trim()
      .split(' ');
    console.log(
      `${image} (revision ${revision}): ${(Number(size) / 1e6).toFixed(0)} MB; from docker run to /health/ready 200, 4 at a time:\n` +
        started
          .map(
            (s) =>
              `  ${s.label.padEnd(30)} ${s.readyMs.toFixed(0).padStart(6)} ms (docker run ${s.runMs.toFixed(0)} ms)`,
          )
          .join('\n'),
    );
  }, 300_000);

  it('takes each module of dist/ from the compile cache the image was built with, and rewrites none of its entries', async () => {
    const [port] = await freePorts(1);
    const s = await start(
      'get-product (compile cache)',
      serviceFile('get-product'),
      { FUNCTION: 'get-product', NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
      port!,
    );
    const verdicts = new Map(
      [...(await containerLogs(s.id)).matchAll(/V8 code cache for ESM (file:\/\/\/app\/dist\/\S+) was (\w+)/g)].map(
        (m) => [m[1], m[2]],
      ),
    );
    expect(verdicts.get('file:///app/dist/main.mjs')).toBe('accepted');
    expect(verdicts.get('file:///app/dist/functions/get-product.mjs')).toBe('accepted');
    expect([...verdicts].filter(([, v]) => v !== 'accepted')).toEqual([]);
    await stop([s.id]);
    // An entry node rewrote would show as changed (C) in the container's layer; new ones are added (A).
    const changed = await Promise.all(
      started.map(async (c) =>
        (await docker('diff', c.id)).split('\n').filter((l) => /^C \/app\/\.compile-cache\/[^/]+\/./.test(l)),
      ),
    );
    expect(changed.flat()).toEqual([]);
  }, 120_000);

  it('exits on SIGTERM while it is still starting, not only once it serves (node is PID 1 in the container)', async () => {
    // A PostgreSQL that takes the connection and never answers holds the function in its start.
    const sockets: net.Socket[] = [];
    let held = () => {};
    const connected = new Promise<void>((resolve) => (held = resolve));
    const server = net.createServer((socket) => {
      sockets.push(socket);
      held();
    });
    const [port] = await freePorts(1);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const flags = dockerSecurityFlags((await manifestContainer(serviceFile('get-product'))).securityContext);
      const env = {
        FUNCTION: 'get-product',
        DATABASE_URL: `postgres://daprps@127.0.0.1:${port}/daprps`,
        HOST: '127.0.0.1',
      };
      const id = (await docker('run', '-d', '--network', 'host', ...flags, ...envFlags(env), image)).trim();
      created.push(id);
      await connected;
      await docker('stop', '-t', '30', id);
      // 143: ended by SIGTERM itself; 137 would be SIGKILL at the end of the grace period.
      expect((await docker('inspect', '-f', '{{.State.ExitCode}}', id)).trim()).toBe('143');
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  }, 60_000);
});
