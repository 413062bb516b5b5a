import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, routes, serviceName } from '../functions/routes.ts';
import { envSuffix } from '../gateway/function-urls.ts';
import { renderedObjects, toolsInstalled } from '../scripts/k8s/validate.ts';
import { containerLogs, docker, dockerRunFlags, envFlags, imageOfHead, type PodSpec } from './support/container.ts';
import { freePorts, requireTool } from './support/infra.ts';
import { realInfraEnv } from './support/real-infra-env.ts';
import { dropSchema } from './support/running-shop.ts';

const image = process.env.DAPRPS_IMAGE ?? 'daprps:latest';
const { ready: infraReady, env: infra } = await realInfraEnv();
const ready =
  infraReady && requireTool('container image', await imageOfHead(image)) && requireTool('kustomize', toolsInstalled());
/** Every container of this file carries it, so a run that was killed leaves none the next one misses. */
const label = 'daprps.test=image';

/** The pods of the prod overlay as kustomize renders it: a Knative Service's by name, or a Job's. */
const prodObjects = ready ? renderedObjects('prod') : [];
function podOf(kind: 'Service' | 'Job', name: string): PodSpec & { containers: { command?: string[] }[] } {
  const o = prodObjects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in the rendered prod overlay`);
  return o.spec.template.spec;
}
const servicePod = (name: string) => podOf('Service', name);

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

/**
 * Starts the image as the manifest `file` runs it (its securityContext), on the host's network
 * (the infrastructure listens on loopback), listening on loopback only, on `port`.
 */
async function start(
  name: string,
  pod: PodSpec,
  env: Record<string, string>,
  port: number,
  withInfra = true,
): Promise<Started> {
  const flags = dockerRunFlags(pod);
  // A function on the real infrastructure, migrated by the Job beforehand (MIGRATE=false, as in prod).
  const base = withInfra ? { ...infra, MIGRATE: 'false', DATABASE_POOL_MAX: '2' } : {};
  // Each module's compile cache verdict in the log (NODE_DEBUG_NATIVE), for the compile cache test.
  const all = { ...base, ...env, NODE_DEBUG_NATIVE: 'COMPILE_CACHE', HOST: '127.0.0.1', PORT: String(port) };
  const t0 = performance.now();
  const id = (
    await docker('run', '-d', '--label', label, '--network', 'host', ...flags, ...envFlags(all), image)
  ).trim();
  const runMs = performance.now() - t0;
  const url = `http://127.0.0.1:${port}`;
  for (let i = 1; ; i++) {
    const status = await fetch(`${url}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) {
      const s = { label: name, id, url, runMs, readyMs: performance.now() - t0 };
      started.push(s);
      return s;
    }
    // Until it answers or has exited; the test's timeout bounds the wait.
    if (i % 25 === 0 && (await docker('inspect', '-f', '{{.State.Running}}', id)).trim() !== 'true')
      throw new Error(`${name} exited before it was ready (last answer ${status}): ${await containerLogs(id)}`);
    await sleep(20);
  }
}

/** Stops containers as the kubelet does (SIGTERM, then SIGKILL after the grace period); their exit codes. */
async function stop(ids: string[]): Promise<string[]> {
  await docker('stop', '-t', '10', ...ids);
  return Promise.all(ids.map(async (id) => (await docker('inspect', '-f', '{{.State.ExitCode}}', id)).trim()));
}

/** Removes every container of this file, a killed run's too. */
async function removeContainers(): Promise<void> {
  const ids = (await docker('ps', '-aq', '--filter', `label=${label}`)).split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids);
}

describe.runIf(ready)(`the production image (${image}) as Knative runs it`, () => {
  beforeAll(removeContainers);
  afterAll(async () => {
    try {
      await removeContainers();
    } finally {
      await dropSchema(infra);
    }
  });

  it("runs as the prod manifests' user and group, with no capability even in its bounding set, no privilege escalation and the default seccomp filter", async () => {
    const flags = dockerRunFlags(servicePod('get-product'));
    expect(flags).toEqual(expect.arrayContaining(['--cap-drop', 'ALL', '--security-opt', 'no-new-privileges']));
    const out = await docker(
      'run',
      '--rm',
      '--label',
      label,
      ...flags,
      image,
      'sh',
      '-c',
      'id -u; id -g; grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status',
    );
    expect(
      out
        .trim()
        .split('\n')
        .map((l) => l.replace(/\s+/g, ' ').trim()),
    ).toEqual([
      '1000',
      '1000',
      'CapInh: 0000000000000000',
      'CapPrm: 0000000000000000',
      'CapEff: 0000000000000000',
      'CapBnd: 0000000000000000',
      'CapAmb: 0000000000000000',
      'NoNewPrivs: 1',
      'Seccomp: 2',
    ]);
  });

  it("migrates a fresh PostgreSQL schema with the prod Job's command (node dist/migrate.mjs)", async () => {
    const job = podOf('Job', 'daprps-migrate');
    const command = job.containers[0]!.command!;
    expect(command).toEqual(['node', 'dist/migrate.mjs']);
    const env = { DATABASE_URL: infra.DATABASE_URL!, DATABASE_SCHEMA: infra.DATABASE_SCHEMA!, DATABASE_POOL_MAX: '1' };
    const flags = dockerRunFlags(job);
    const out = await docker(
      'run',
      '--rm',
      '--label',
      label,
      '--network',
      'host',
      ...flags,
      ...envFlags(env),
      image,
      ...command,
    );
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
          .map((name) => start(name, servicePod(serviceName(name)), { FUNCTION: name }, ports[names.indexOf(name)]!)),
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
    const gateway = await start('(gateway)', servicePod('gateway'), gatewayEnv, ports[names.length]!, false);
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

  it('each container took every module of dist/ it loaded from the compile cache the image was built with, and rewrote none of its entries', async () => {
    // The containers of the test above, stopped but kept: their logs and their layers.
    expect(started.map((s) => s.label).sort()).toEqual([...Object.keys(routes), '(gateway)'].sort());
    for (const s of started) {
      const verdicts = [
        ...(await containerLogs(s.id)).matchAll(/V8 code cache for ESM (file:\/\/\/app\/dist\/\S+) was (\w+)/g),
      ].map((m) => [m[1], m[2]]);
      // dist/main.mjs, then the function's (or the gateway's) bundle and its chunks.
      expect(verdicts.length, s.label).toBeGreaterThanOrEqual(2);
      expect(
        verdicts.filter(([, v]) => v !== 'accepted'),
        s.label,
      ).toEqual([]);
    }
    // An entry node rewrote would show as changed (C) in the container's layer; new ones are added (A).
    const changed = await Promise.all(
      started.map(async (c) =>
        (await docker('diff', c.id)).split('\n').filter((l) => /^C \/app\/\.compile-cache\/[^/]+\/./.test(l)),
      ),
    );
    expect(changed.flat()).toEqual([]);
  });

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
      const flags = dockerRunFlags(servicePod('get-product'));
      const [appPort] = await freePorts(1);
      const env = {
        FUNCTION: 'get-product',
        DATABASE_URL: `postgres://daprps@127.0.0.1:${port}/daprps`,
        HOST: '127.0.0.1',
        PORT: String(appPort),
      };
      const id = (
        await docker('run', '-d', '--label', label, '--network', 'host', ...flags, ...envFlags(env), image)
      ).trim();
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
