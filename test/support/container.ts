import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The engine the tests use: DOCKER_HOST, else the one `scripts/container/engine.sh` starts. */
function dockerHost(env: Record<string, string | undefined> = process.env): string {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  const cache = env.DAPRPS_CACHE_DIR ?? join(env.HOME ?? homedir(), '.cache/daprps');
  return `unix://${join(cache, 'docker/docker.sock')}`;
}

/** The environment of a docker client of that engine. */
export const dockerEnv = () => ({ ...process.env, DOCKER_HOST: dockerHost() });

/** Runs the docker client against that engine; resolves with what it printed on stdout. */
export async function docker(...args: string[]): Promise<string> {
  return (await exec('docker', args, { env: dockerEnv(), maxBuffer: 64 * 1024 * 1024 })).stdout;
}

/** What a container printed so far, stdout and stderr. */
export async function containerLogs(id: string): Promise<string> {
  const { stdout, stderr } = await exec('docker', ['logs', id], { env: dockerEnv(), maxBuffer: 64 * 1024 * 1024 });
  return stdout + stderr;
}

/** Whether the engine answers and holds `image`; says how to get them when not. */
export async function imageBuilt(image: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const works = (...args: string[]) =>
    docker(...args).then(
      () => true,
      () => false,
    );
  if (!(await works('info', '--format', '{{.ServerVersion}}')))
    return {
      ok: false,
      message: `no container engine answers at ${dockerHost()}: start one with "bash scripts/container/engine.sh" (or set DOCKER_HOST)`,
    };
  if (!(await works('image', 'inspect', image)))
    return { ok: false, message: `the image ${image} is not built: build it with "npm run image"` };
  return { ok: true };
}

/** A label of `image` ('' when it has none). */
export async function imageLabel(image: string, key: string): Promise<string> {
  const value = (await docker('image', 'inspect', image, '--format', `{{ index .Config.Labels "${key}" }}`)).trim();
  return value === '<no value>' ? '' : value;
}

/** Whether `image` is built, from the checked-out commit (its revision label): a test of an older build would prove nothing. */
export async function imageOfHead(image: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const built = await imageBuilt(image);
  if (!built.ok) return built;
  const revision = await imageLabel(image, 'org.opencontainers.image.revision');
  const root = new URL('../..', import.meta.url).pathname;
  const head = (await exec('git', ['rev-parse', 'HEAD'], { cwd: root })).stdout.trim();
  // A build of a tree with uncommitted changes (npm run test:all builds the tree as it is) counts as HEAD's.
  return revision.replace(/-dirty$/, '') === head
    ? { ok: true }
    : { ok: false, message: `${image} was built from ${revision}, not ${head}: rebuild it with "npm run image"` };
}

/** A container's `securityContext`, as the Knative and Kubernetes manifests write it. */
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}

/** The pod's fields that a container inherits (the container's own win), as the kubelet merges them. */
const podInherited = ['runAsNonRoot', 'runAsUser', 'runAsGroup', 'seccompProfile'];

/** A pod template's `spec`, the part of it that decides how its first container runs. */
export interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: { securityContext?: SecurityContext; resources?: { limits?: { cpu?: string; memory?: string } } }[];
}

/**
 * The `docker run` flags that run a pod's first container as a kubelet runs it: its securityContext
 * over the pod's, and its resource limits. Docker's default seccomp profile is the runtime's
 * default (RuntimeDefault); no seccompProfile at all would run it Unconfined on a kubelet, which
 * docker cannot match, so it is refused, as is any field not mapped here: a securityContext that
 * grows cannot be left out silently.
 */
export function dockerRunFlags(pod: PodSpec): string[] {
  const podCtx = pod.securityContext ?? {};
  const unknownPod = Object.keys(podCtx).filter((k) => !podInherited.includes(k));
  if (unknownPod.length)
    throw new Error(`pod securityContext fields not mapped to docker run: ${unknownPod.join(', ')}`);
  const container = pod.containers[0]!;
  const ctx: SecurityContext = { ...podCtx, ...container.securityContext };
  const known = [...podInherited, 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'capabilities'];
  const unknown = Object.keys(ctx).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`securityContext fields not mapped to docker run: ${unknown.join(', ')}`);
  if (ctx.runAsNonRoot && !ctx.runAsUser) throw new Error('runAsNonRoot without a non-zero runAsUser');
  if (ctx.seccompProfile?.type !== 'RuntimeDefault')
    throw new Error(`seccompProfile ${JSON.stringify(ctx.seccompProfile)} is not mapped to docker run`);
  const flags: string[] = [];
  // Without runAsGroup, both the kubelet's runtime and docker take the user's group from the image.
  if (ctx.runAsUser !== undefined)
    flags.push('--user', ctx.runAsGroup === undefined ? `${ctx.runAsUser}` : `${ctx.runAsUser}:${ctx.runAsGroup}`);
  if (ctx.allowPrivilegeEscalation === false) flags.push('--security-opt', 'no-new-privileges');
  if (ctx.readOnlyRootFilesystem) flags.push('--read-only');
  for (const cap of ctx.capabilities?.drop ?? []) flags.push('--cap-drop', cap);
  for (const cap of ctx.capabilities?.add ?? []) flags.push('--cap-add', cap);
  const limits = container.resources?.limits ?? {};
  if (limits.memory)
    flags.push('--memory', String(bytes(limits.memory)), '--memory-swap', String(bytes(limits.memory)));
  if (limits.cpu) flags.push('--cpus', String(cpus(limits.cpu)));
  return flags;
}

/** A Kubernetes memory quantity (`384Mi`, `1G`, `500000000`) in bytes. */
function bytes(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!m) throw new Error(`memory quantity ${quantity} is not understood`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] ?? ''] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

/** A Kubernetes CPU quantity (`500m`, `1`, `1.5`) in cores. */
function cpus(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(m)?$/.exec(quantity);
  if (!m) throw new Error(`cpu quantity ${quantity} is not understood`);
  return m[2] ? Number(m[1]) / 1000 : Number(m[1]);
}

/** `-e NAME=value` for each variable of `env`. */
export const envFlags = (env: Record<string, string>) => Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
