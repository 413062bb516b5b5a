import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { docker, dockerEnv, imageBuilt, imageLabel, imageOfHead } from './container.ts';
import { GATEWAY_ADMIN, TEST_JWT_SECRET, type RunningShop } from './running-shop.ts';

const exec = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

/** The images compose.yaml names: the shop's, and those of its infrastructure (stand-ins here). */
async function composeImages(): Promise<string[]> {
  const file = parse(await readFile(`${root}compose.yaml`, 'utf8'), { merge: true }) as {
    services: Record<string, { image?: string }>;
  };
  return [...new Set(Object.values(file.services).map((s) => s.image!))];
}

/** The command that runs Docker Compose v2 (scripts/container/compose.sh), or why there is none. */
async function composeCommand(): Promise<string[] | string> {
  try {
    const { stdout } = await exec('bash', [`${root}scripts/container/compose.sh`], { env: dockerEnv() });
    return stdout.trim().split(' ');
  } catch (e) {
    return `no Docker Compose v2: ${(e as { stderr?: string }).stderr?.trim() || e}`;
  }
}

/** Whether compose can run the shop here: an engine, every image compose.yaml names, Compose v2. */
export async function composeReady(): Promise<
  { ok: true; command: string[]; standIns: string[] } | { ok: false; message: string }
> {
  const standIns: string[] = [];
  for (const image of await composeImages()) {
    // The shop's own image must be this commit's; the others are the official ones or stand-ins.
    const built = image.startsWith('daprps:') ? await imageOfHead(image) : await imageBuilt(image);
    if (!built.ok)
      return {
        ok: false,
        message: `${built.message} (the infrastructure's images: "bash scripts/container/stand-ins.sh")`,
      };
    if (await imageLabel(image, 'daprps.stand-in')) standIns.push(image);
  }
  const command = await composeCommand();
  return typeof command === 'string' ? { ok: false, message: command } : { ok: true, command, standIns };
}

const lines = (out: string) => out.split('\n').filter(Boolean);
const ofProject = (project: string) => `label=com.docker.compose.project=${project}`;

/** The ids of what the engine holds that compose made for `project`. */
async function projectObjects(project: string): Promise<string[]> {
  const ids = await Promise.all([
    docker('ps', '-aq', '--filter', ofProject(project)),
    docker('volume', 'ls', '-q', '--filter', ofProject(project)),
    docker('network', 'ls', '-q', '--filter', ofProject(project)),
  ]);
  return ids.flatMap(lines);
}

/** The volumes the project's containers mount (named and anonymous). */
async function projectVolumes(project: string): Promise<string[]> {
  const ids = lines(await docker('ps', '-aq', '--filter', ofProject(project)));
  if (!ids.length) return [];
  const out = await docker('inspect', '--format', '{{range .Mounts}}{{if .Name}}{{.Name}} {{end}}{{end}}', ...ids);
  return [...new Set(out.split(/\s+/).filter(Boolean))];
}

/** The test projects of processes that are gone (a killed run's), taken down before a new one starts. */
async function staleProjects(): Promise<string[]> {
  const out = await docker(
    'ps',
    '-a',
    '--filter',
    'label=com.docker.compose.project',
    '--format',
    '{{.Label "com.docker.compose.project"}}',
  );
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return [...new Set(out.split('\n'))].filter((p) => {
    const pid = /^daprps-test-(\d+)$/.exec(p)?.[1];
    return pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid));
  });
}

/** A shop compose.yaml runs, and what `down -v` left of it. */
export interface ComposeShop extends RunningShop {
  /** After {@link stop}: what compose made and the engine still holds, and the volumes its containers mounted that remain. */
  leftovers(): Promise<{ objects: string[]; volumes: string[]; mounted: string[] }>;
}

/**
 * `docker compose up` of the repo's compose.yaml, as its header tells a user to run it (the secrets
 * exported, the images already built), under its own project name and on the host ports `ports`; waits
 * until every service is healthy (or has completed, kafka-setup). `stop` is `docker compose down -v`.
 */
export async function startComposeShop(
  command: string[],
  ports: { gateway: number; zipkin: number },
): Promise<ComposeShop> {
  const project = `daprps-test-${process.pid}`;
  const secret = () => randomBytes(24).toString('base64url');
  const env = {
    ...dockerEnv(),
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_TOKEN: GATEWAY_ADMIN,
    EVENT_SIGNING_KEY: secret(),
    DAPR_API_TOKEN: secret(),
    APP_API_TOKEN_PRODUCT_ON_PAYMENT_COMPLETED: secret(),
    APP_API_TOKEN_BASKET_ON_PAYMENT_COMPLETED: secret(),
    APP_API_TOKEN_PAYMENT_ON_STOCK_REJECTED: secret(),
    // Every request of a test comes from one client: the gateway's rate limit is tested on its own.
    RATE_LIMIT_BURST: '1000000',
    DAPRPS_COMPOSE_PORT: String(ports.gateway),
    DAPRPS_COMPOSE_ZIPKIN_PORT: String(ports.zipkin),
  };
  const [bin, ...pre] = command as [string, ...string[]];
  const composeOf = (name: string, ...args: string[]) =>
    exec(bin, [...pre, '--project-directory', root, '-f', `${root}compose.yaml`, '-p', name, ...args], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
  const compose = (...args: string[]) => composeOf(project, ...args);
  for (const stale of await staleProjects()) await composeOf(stale, 'down', '-v', '--timeout', '5');
  let mounted: string[] = [];
  const strays = await projectObjects(project);
  if (strays.length) throw new Error(`project ${project} already has objects in the engine: ${strays.join(' ')}`);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    mounted = await projectVolumes(project);
    // Engine 20.10 may still hold the network's endpoint of a container it has just removed
    // ("has active endpoints"); down again removes what is left, as a user would.
    for (let attempt = 1; ; attempt++) {
      try {
        await compose('down', '-v', '--timeout', '20');
        return;
      } catch (e) {
        if (attempt === 3 || !String((e as { stderr?: string }).stderr).includes('has active endpoints')) throw e;
        await sleep(1000);
      }
    }
  };
  try {
    await compose('up', '-d', '--no-build', '--pull', 'never', '--wait', '--wait-timeout', '300');
  } catch (e) {
    const { stdout: ps } = await compose('ps', '-a').catch(() => ({ stdout: '' }));
    const { stdout: logs } = await compose('logs', '--no-color', '--tail', '40').catch(() => ({ stdout: '' }));
    await stop().catch(() => {});
    throw new Error(`docker compose up failed: ${(e as { stderr?: string }).stderr ?? e}\n${ps}\n${logs}`);
  }
  return {
    url: `http://127.0.0.1:${ports.gateway}`,
    stop,
    async leftovers() {
      const remaining = new Set((await docker('volume', 'ls', '-q')).split('\n'));
      return { objects: await projectObjects(project), volumes: mounted.filter((v) => remaining.has(v)), mounted };
    },
  };
}
