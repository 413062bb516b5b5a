import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceName, type FunctionName } from '../../functions/routes.ts';
import { freePorts } from '../../test/support/infra.ts';
import { localResources } from '../dapr/components.ts';
import { daprdPath, sidecarArgs } from '../dapr/daprd.ts';
import { randomSidecarTokens, tokenEnv } from '../dapr/tokens.ts';
import { waitHealthy } from '../topology.ts';
import { bundle, startNode, startProcess, type Started } from './start-process.ts';

/** How the shop under measurement runs. */
export type ShopKind = 'kafka' | 'dapr' | 'embedded';

/** A running shop: where each function answers (its own process, or the one embedded gateway). */
export interface Shop {
  url(name: FunctionName): string;
  stop(): Promise<void>;
}

/** What a checkout touches: cart, payment, both payment-completed handlers, and the reads that show their effects. */
export const checkoutFunctions: FunctionName[] = [
  'add-to-basket',
  'process-payment',
  'get-product',
  'get-basket',
  'product/on-payment-completed',
  'basket/on-payment-completed',
];

/**
 * Starts `names` on the infrastructure of `env`, from their bundles as the image runs them:
 * `kafka`, each function its own process, events over Kafka (kafkajs); `dapr`, the same with a
 * daprd sidecar each (events published through the sidecar, delivered by its Kafka input
 * binding); `embedded`, every function in one gateway process (events over Kafka as well).
 */
export async function startShop(kind: ShopKind, env: Record<string, string>, names: FunctionName[]): Promise<Shop> {
  const started: Started[] = [];
  let dir: string | undefined; // the sidecars' resources (dapr)
  const stop = async () => {
    for (const p of started.splice(0).reverse()) await p.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  try {
    if (kind === 'embedded') {
      const [port] = await freePorts(1);
      const gateway = await startNode(['dist/main.mjs'], env, port!, '/health/ready');
      started.push(gateway);
      return { url: () => gateway.url, stop };
    }
    const urls = new Map<FunctionName, string>();
    if (kind === 'dapr') dir = await mkdtemp(join(tmpdir(), 'daprps-bench-dapr-'));
    const resources = dir
      ? await localResources(dir, { brokers: env.KAFKA_BROKERS!, prefix: env.KAFKA_PREFIX! })
      : undefined;
    const free = await freePorts(names.length * 5);
    const sidecars: Started[] = [];
    for (const name of names) {
      const [app, http, grpc, internalGrpc, metrics] = free.splice(0, 5) as [number, number, number, number, number];
      // The function and its sidecar share their tokens (event routes and the sidecar's API).
      const tokens = tokenEnv(randomSidecarTokens());
      let fnEnv = { ...env, ...tokens };
      if (resources) {
        const args = sidecarArgs({
          appId: serviceName(name),
          appPort: app,
          ports: { http, grpc, internalGrpc, metrics },
          ...resources,
          logLevel: 'error',
        });
        const sidecar = await startProcess(
          daprdPath(),
          args,
          tokens,
          `http://127.0.0.1:${http}`,
          '/v1.0/healthz/outbound',
        );
        started.push(sidecar);
        sidecars.push(sidecar);
        fnEnv = { ...fnEnv, EVENT_TRANSPORT: 'dapr', DAPR_HOST: '127.0.0.1', DAPR_HTTP_PORT: String(http) };
      }
      const fn = await startNode(bundle(name), fnEnv, app, '/health/ready');
      started.push(fn);
      urls.set(name, fn.url);
    }
    // A sidecar starts its input bindings once its app answers; its full health says so.
    for (const sidecar of sidecars)
      await waitHealthy(`${sidecar.url}/v1.0/healthz`, sidecar.child, `daprd of ${sidecar.url}`, 60_000);
    return {
      url: (name) => {
        const url = urls.get(name);
        if (!url) throw new Error(`${name} is not running in this shop`);
        return url;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
