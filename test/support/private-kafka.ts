import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from './infra.ts';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

/** A Kafka broker of a test's own (scripts/infra/kafka.sh in a temporary folder), to stop and start at will. */
export interface PrivateKafka {
  brokers: string;
  start(): Promise<void>;
  /** Stops the broker (SIGTERM, as an operator would) and waits until it is gone. */
  stop(): Promise<void>;
  /** Stops it and removes its data. */
  remove(): Promise<void>;
}

/** Prepares a private broker on free ports; `start()` runs it (the project's topics created, unprefixed). */
export async function privateKafka(): Promise<PrivateKafka> {
  const [port, controller] = await freePorts(2);
  const dir = await mkdtemp(join(tmpdir(), 'daprps-kafka-'));
  const env = {
    ...process.env,
    DAPRPS_KAFKA_PORT: String(port),
    DAPRPS_KAFKA_CONTROLLER_PORT: String(controller),
    DAPRPS_INFRA_DIR: dir,
  };
  const pid = async () => Number(await readFile(join(dir, 'kafka', 'kafka.pid'), 'utf8').catch(() => '0'));
  const alive = (p: number) => {
    try {
      if (p <= 0) return false;
      process.kill(p, 0); // throws when no such process
      return true;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    const p = await pid();
    if (!alive(p)) return;
    process.kill(p, 'SIGTERM');
    for (let i = 0; i < 300 && alive(p); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive(p)) process.kill(p, 'SIGKILL');
  };
  return {
    brokers: `127.0.0.1:${port}`,
    start: async () => void (await run('bash', [join(root, 'scripts/infra/kafka.sh')], { env, cwd: root })),
    stop,
    async remove() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
