import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { routes, type FunctionName } from '../../functions/routes.ts';
import { localResources } from '../../scripts/dapr/components.ts';
import type { SidecarPorts } from '../../scripts/dapr/daprd.ts';
import type { SidecarTokens } from '../../scripts/dapr/tokens.ts';
import { freePorts } from './infra.ts';
import { dropSchema } from './running-shop.ts';
import { startTestTopology } from './test-topology.ts';

/** A shop as `task dapr:up` runs it, on free ports: where each function and sidecar listens, and their tokens. */
export interface DaprShop {
  url: string;
  appPort(name: FunctionName): number;
  sidecar(name: FunctionName): SidecarPorts;
  tokens(name: FunctionName): SidecarTokens;
  stop(): Promise<void>;
}

/** The sidecars' Dapr Configuration without Kafka input bindings (as knative/overlays/kafkasource runs them). */
async function denyBindings(configPath: string): Promise<void> {
  const doc = parseDocument(await readFile(configPath, 'utf8'));
  doc.setIn(['spec', 'components', 'deny'], ['bindings.kafka']);
  await writeFile(configPath, doc.toString());
}

/**
 * `task dapr:up` on free ports over the infrastructure of `env`: every function its own process,
 * each that uses events with its own daprd; `bindings: false` starts the sidecars without their
 * Kafka input bindings, for handlers fed otherwise (a KafkaSource).
 */
export async function startDaprShop(env: Record<string, string>, opts: { bindings?: boolean } = {}): Promise<DaprShop> {
  const names = Object.keys(routes) as FunctionName[];
  const free = await freePorts(names.length * 5 + 1);
  const ports: Partial<Record<FunctionName, number>> = {};
  const sidecars: Partial<Record<FunctionName, SidecarPorts>> = {};
  for (const name of names) {
    const [app, http, grpc, internalGrpc, metrics] = free.splice(0, 5) as [number, number, number, number, number];
    ports[name] = app;
    sidecars[name] = { http, grpc, internalGrpc, metrics };
  }
  const dir = await mkdtemp(join(tmpdir(), 'daprps-dapr-'));
  const resources = await localResources(dir, { brokers: env.KAFKA_BROKERS!, prefix: env.KAFKA_PREFIX! });
  if (opts.bindings === false) await denyBindings(resources.configPath);
  const topology = await startTestTopology(
    env,
    { gatewayPort: free[0]!, ports, dapr: { ...resources, ports: sidecars, logLevel: 'warn' } },
    () => rm(dir, { recursive: true, force: true }),
  );
  return {
    url: topology.gatewayUrl,
    appPort: (name) => ports[name]!,
    sidecar: (name) => sidecars[name]!,
    tokens: (name) => topology.tokens[name],
    async stop() {
      await topology.stop();
      await dropSchema(env);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
