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

/** A container's `securityContext`, as the Knative and Kubernetes manifests write it. */
export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}

/**
 * The `docker run` flags that run a container as a kubelet runs it under `ctx`. Docker's default
 * seccomp profile is the runtime's default (RuntimeDefault); a field not mapped here is refused,
 * so a securityContext that grows cannot be left out silently.
 */
export function dockerSecurityFlags(ctx: SecurityContext): string[] {
  const known = [
    'runAsNonRoot',
    'runAsUser',
    'runAsGroup',
    'allowPrivilegeEscalation',
    'readOnlyRootFilesystem',
    'capabilities',
    'seccompProfile',
  ];
  const unknown = Object.keys(ctx).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`securityContext fields not mapped to docker run: ${unknown.join(', ')}`);
  if (ctx.runAsNonRoot && !ctx.runAsUser) throw new Error('runAsNonRoot without a non-zero runAsUser');
  if (ctx.seccompProfile && ctx.seccompProfile.type !== 'RuntimeDefault')
    throw new Error(`seccompProfile ${ctx.seccompProfile.type} is not mapped to docker run`);
  const flags: string[] = [];
  // Without runAsGroup, both the kubelet's runtime and docker take the user's group from the image.
  if (ctx.runAsUser !== undefined)
    flags.push('--user', ctx.runAsGroup === undefined ? `${ctx.runAsUser}` : `${ctx.runAsUser}:${ctx.runAsGroup}`);
  if (ctx.allowPrivilegeEscalation === false) flags.push('--security-opt', 'no-new-privileges');
  if (ctx.readOnlyRootFilesystem) flags.push('--read-only');
  for (const cap of ctx.capabilities?.drop ?? []) flags.push('--cap-drop', cap);
  for (const cap of ctx.capabilities?.add ?? []) flags.push('--cap-add', cap);
  return flags;
}

/** `-e NAME=value` for each variable of `env`. */
export const envFlags = (env: Record<string, string>) => Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
