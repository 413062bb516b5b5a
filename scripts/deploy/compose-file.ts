import { envSuffix } from '../../gateway/function-urls.ts';
import { daprVersion, sidecarArgs } from '../dapr/daprd.ts';
import { composeAddresses, composeComponents, composeComponentsDir } from './compose-components.ts';
import { hostPort, infrastructureServices, infrastructureVolumes } from './compose-infra.ts';
import { GENERATED } from './knative-service.ts';
import {
  envNamesOf,
  functionProcesses,
  sidecarEnvNames,
  type FunctionProcess,
  type ProcessEnvName,
} from './function-processes.ts';

/** The pinned daprd image, the release `scripts/dapr/version` names (what `task dapr:up` builds). */
export const daprdImage = `daprio/daprd:${daprVersion.replace(/^v/, '')}`;

/**
 * The ports of a sidecar inside its function's network namespace: daprd's defaults, but metrics off
 * 9090 (as on Knative).
 */
export const composeSidecarPorts = { http: 3500, grpc: 50001, internalGrpc: 50002, metrics: 9095 };

/** The compose service of a function's sidecar. */
export const sidecarService = (p: FunctionProcess) => `${p.service}-dapr`;

/**
 * The variable of the operator's environment that holds a handler's app API token: one per handler,
 * as Kubernetes has a Secret per handler.
 */
export const appTokenVariable = (p: FunctionProcess) => `APP_API_TOKEN_${envSuffix(p.name)}`;

const required = (variable: string, what: string) => `\${${variable}:?set ${variable} (32+ characters): ${what}}`;

/** Each variable's value in compose: addresses of the services, secrets from the operator's environment. */
const values: Record<ProcessEnvName, (p: FunctionProcess) => string> = {
  DATABASE_URL: () => 'postgres://daprps:daprps@postgres:5432/daprps',
  REDIS_URL: () => 'redis://redis:6379',
  EVENT_TRANSPORT: () => 'dapr',
  EVENT_SIGNING_KEY: () => required('EVENT_SIGNING_KEY', 'the key events are signed and checked with'),
  DAPR_API_TOKEN: () => required('DAPR_API_TOKEN', 'the token the Dapr sidecars require of their function'),
  APP_API_TOKEN: (p) => required(appTokenVariable(p), `the token ${p.service}'s sidecar presents to its event route`),
};

const q = (s: string) => JSON.stringify(s);
const flow = (items: string[]) => `[${items.map(q).join(', ')}]`;
const env = (p: FunctionProcess, names: readonly ProcessEnvName[]) =>
  names.map((n) => `      ${n}: ${q(values[n](p))}`);

/** A function's container and, when it uses events, its daprd sidecar, as YAML lines under `services:`. */
function functionServices(p: FunctionProcess): string[] {
  const names = envNamesOf(p, { sidecars: true });
  const fn = [
    `  ${p.service}:`,
    '    <<: *function',
    `    command: ${flow(['node', 'dist/main.mjs', p.name])}`,
    '    environment:',
    '      <<: *function-env',
    ...env(p, names),
    ...(p.sidecar ? [`      DAPR_HTTP_PORT: "${composeSidecarPorts.http}"`] : []),
    '    depends_on:',
    ...(p.needs.includes('database') ? ['      postgres: { condition: service_healthy }'] : []),
    ...(p.needs.includes('redis') ? ['      redis: { condition: service_healthy }'] : []),
    // Its sidecar starts right after it, so the function's readiness (which asks the sidecar) holds
    // within its start period.
    ...(p.sidecar ? ['      kafka-setup: { condition: service_completed_successfully }'] : []),
  ];
  if (!p.sidecar) return fn;
  const args = sidecarArgs({
    appId: p.service,
    appPort: 8080,
    ports: composeSidecarPorts,
    resourcesPath: '/components',
    configPath: '/components/config.yaml',
  });
  return [
    ...fn,
    `  ${sidecarService(p)}:`,
    '    <<: *daprd',
    "    # In its function's network namespace, as in a pod: daprd and the app reach each other on loopback,",
    "    # where daprd's API, internal gRPC and metrics listen only.",
    `    network_mode: "service:${p.service}"`,
    `    command: ${flow(['./daprd', ...args])}`,
    '    environment:',
    ...env(p, sidecarEnvNames(p)),
    '    depends_on:',
    '      # restart: recreated whenever its function is, whose network namespace it lives in.',
    `      ${p.service}: { condition: service_started, restart: true }`,
    '      kafka-setup: { condition: service_completed_successfully }',
  ];
}

/**
 * compose.yaml: the infrastructure, every function in its own container (with its daprd sidecar
 * when it uses events) and the gateway.
 */
export function composeFile(): string {
  const processes = functionProcesses;
  const handlers = processes.filter((p) => p.handler).map(appTokenVariable);
  return [
    GENERATED,
    '# daprps with Docker. Export, from your secret store (never in the repo; 32+ characters each):',
    `#   JWT_SECRET EVENT_SIGNING_KEY DAPR_API_TOKEN ${handlers.join(' ')}`,
    '# then `docker compose up --build`, and http://127.0.0.1:8080 (GET /health/ready).',
    '#',
    '# The topology of `task dapr:up` and of Knative (scripts/deploy/function-processes.ts): PostgreSQL, Redis,',
    '# Kafka 3.9 in KRaft mode, Zipkin; every function in its own container (the one image, told which',
    '# function to serve) with the environment of what it needs; each function that uses events with',
    '# its own daprd sidecar in its network namespace (as the containers of a pod share one), loading',
    `# ${composeComponentsDir}/ (components/local with compose's addresses); the gateway forwarding to`,
    '# the functions by name. For the embedded default (one process, no infrastructure) run `npm start`,',
    '# or this image with no FUNCTION and none of the URLs below.',
    '',
    'name: daprps',
    '',
    'x-function: &function',
    '  build: .',
    '  image: daprps:latest',
    '  restart: unless-stopped',
    '  healthcheck:',
    '    # node, not curl: the slim image has no curl. Ready means its database, Redis and sidecar answer.',
    '    test: ["CMD", "node", "-e", "fetch(\'http://127.0.0.1:8080/health/ready\').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]',
    '    interval: 10s',
    '    timeout: 3s',
    '    retries: 3',
    '    start_period: 30s',
    '',
    'x-function-env: &function-env',
    '  HOST: 0.0.0.0',
    '  PORT: "8080"',
    `  OTEL_EXPORTER_ZIPKIN_ENDPOINT: ${composeAddresses.zipkin}`,
    '  # Make user tokens with it: JWT_SECRET=... npm run -s token -- alice',
    `  JWT_SECRET: ${q(required('JWT_SECRET', 'the secret user tokens are signed with'))}`,
    '  LOG_LEVEL: info',
    '  # Passed through from the shell only when set there (an empty value counts as unset).',
    '  ADMIN_TOKEN:',
    '',
    '# daprd, pinned to the release `task dapr:up` builds (scripts/dapr/version). The image has nothing',
    '# but daprd, so no healthcheck of its own: its function is ready only once the sidecar answers.',
    'x-daprd: &daprd',
    `  image: ${daprdImage}`,
    '  restart: unless-stopped',
    `  volumes: ["./${composeComponentsDir}:/components:ro"]`,
    '',
    'services:',
    ...infrastructureServices(),
    '',
    '  gateway:',
    '    <<: *function',
    '    # The host port: 8080, or DAPRPS_COMPOSE_PORT when set.',
    `    ports: [${hostPort('DAPRPS_COMPOSE_PORT', 8080)}]`,
    '    environment:',
    '      HOST: 0.0.0.0',
    '      PORT: "8080"',
    '      # Each function by its service name, as the gateway reaches Knative Services by URL.',
    '      FUNCTION_URL_TEMPLATE: http://{name}:8080',
    `      OTEL_EXPORTER_ZIPKIN_ENDPOINT: ${composeAddresses.zipkin}`,
    '      LOG_LEVEL: info',
    '      ADMIN_TOKEN:',
    "      # The rate limit's burst per client, from the shell when set there (its default otherwise).",
    '      RATE_LIMIT_BURST:',
    '    command: ["node", "dist/main.mjs"]',
    '    depends_on:',
    ...processes.map((p) => `      ${p.service}: { condition: service_healthy }`),
    '',
    "  # One container per function: the image's launcher (dist/main.mjs) with the function's name.",
    ...processes.flatMap(functionServices),
    '',
    'volumes:',
    ...infrastructureVolumes(),
    '',
  ].join('\n');
}

/** The generator of compose's files: compose.yaml and the sidecars' resources it mounts. */
export const composeFiles = (): Map<string, string> =>
  new Map([['compose.yaml', composeFile()], ...composeComponents()]);
