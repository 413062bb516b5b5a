import net from 'node:net';
import { daprdInstalled } from '../../scripts/dapr/daprd.ts';

/** Where the tests find real infrastructure: the environment, else what `npm run infra:up` starts. */
export const infraUrls = {
  postgres: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://daprps@127.0.0.1:55432/daprps',
  redis: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:56379',
  kafka: `kafka://${process.env.TEST_KAFKA_BROKERS ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'}`,
  /** Zipkin's API root (spans are posted to /api/v2/spans). */
  zipkin: new URL(
    process.env.TEST_ZIPKIN_ENDPOINT ??
      process.env.OTEL_EXPORTER_ZIPKIN_ENDPOINT ??
      'http://127.0.0.1:9411/api/v2/spans',
  ).origin,
};

/** Whether a TCP port answers. */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port), timeout: 1_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Says loudly that `what` is missing and the suites skip; with REQUIRE_INFRA=1 (as in CI) throws instead. */
function missing(what: string, message: string): false {
  if (process.env.REQUIRE_INFRA === '1') throw new Error(`REQUIRE_INFRA=1 and ${message}`);
  console.warn(`\n!!! SKIPPED: the ${what} suites, because ${message}\n`);
  return false;
}

/**
 * Whether the named infrastructure is reachable. When it is not, says so loudly; with
 * REQUIRE_INFRA=1 (as in `npm run test:all` and CI) that is an error instead of a skip.
 */
export async function requireInfra(what: keyof typeof infraUrls): Promise<boolean> {
  if (await reachable(infraUrls[what])) return true;
  return missing(what, `${what} is not reachable at ${infraUrls[what]}: start it with "npm run infra:up"`);
}

/**
 * Whether a tool is installed (`installed` says how to install it when not); skips loudly, or fails
 * with REQUIRE_INFRA=1.
 */
export function requireTool(what: string, installed: { ok: true } | { ok: false; message: string }): boolean {
  return installed.ok || missing(what, installed.message);
}

/** Whether daprd is built (`npm run dapr:install`). */
export const requireDaprd = () => requireTool('Dapr', daprdInstalled());

/** A name unique to this test file run, for a schema or key prefix. */
export const uniqueName = (base: string) => `${base}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/** Whether a port on loopback can be bound right now. */
const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * `count` consecutive free TCP ports on loopback, below the ephemeral range (32768+), so that the
 * outgoing connections of the many processes a test starts cannot take one before it is used.
 */
export async function freePorts(count: number): Promise<number[]> {
  for (;;) {
    const base = 10_000 + Math.floor(Math.random() * (30_000 - 10_000 - count));
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(ports.map(bindable))).every(Boolean)) return ports;
  }
}

/** A free TCP port on loopback. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
