import net from 'node:net';

/** Where the tests find real infrastructure: the environment, else what `npm run infra:up` starts. */
export const infraUrls = {
  postgres: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://daprps@127.0.0.1:55432/daprps',
  redis: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:56379',
  kafka: `kafka://${process.env.TEST_KAFKA_BROKERS ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'}`,
};

/** Whether a TCP port answers. */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port), timeout: 1_000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/**
 * Whether the named infrastructure is reachable. When it is not, says so loudly; with
 * REQUIRE_INFRA=1 (as in `npm run test:all` and CI) that is an error instead of a skip.
 */
export async function requireInfra(what: keyof typeof infraUrls): Promise<boolean> {
  if (await reachable(infraUrls[what])) return true;
  const message = `${what} is not reachable at ${infraUrls[what]}: start it with "npm run infra:up"`;
  if (process.env.REQUIRE_INFRA === '1') throw new Error(`REQUIRE_INFRA=1 and ${message}`);
  console.warn(`\n!!! SKIPPED: the ${what} suites, because ${message}\n`);
  return false;
}

/** A name unique to this test file run, for a schema or key prefix. */
export const uniqueName = (base: string) => `${base}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/** A free TCP port on loopback. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
