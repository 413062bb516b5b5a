import { expect, it } from 'vitest';
import { checkoutTrace } from './support/checkout-trace.ts';
import { type ComposeShop, composeReady, startComposeShop } from './support/compose.ts';
import { freePorts, requireTool } from './support/infra.ts';
import { shopFlow } from './support/shop-flow.ts';

// `docker compose up` of compose.yaml, for real: PostgreSQL, Redis, Kafka with its topics, Zipkin,
// every function in its container of the production image, a daprd sidecar in the network
// namespace of each function that uses events, the gateway. Here the infrastructure's images are
// the test-only stand-ins of scripts/container/stand-ins.sh (no registry answers); elsewhere the
// official ones. Its own project name and free host ports; torn down with `down -v`.
const can = await composeReady();
const ready = requireTool('docker compose', can);
if (can.ok)
  console.log(
    can.standIns.length
      ? `compose runs on test-only stand-ins (no registry answers): ${can.standIns.join(', ')}`
      : 'compose runs on the official images',
  );
const [gateway = 0, zipkin = 0] = ready ? await freePorts(2) : [];
let shop: ComposeShop | undefined;

shopFlow(
  'docker compose up of compose.yaml: a container per function, daprd sidecars in their network namespaces, Kafka, PostgreSQL, Redis, Zipkin',
  async () => {
    shop = await startComposeShop(can.ok ? can.command : [], { gateway, zipkin });
    return shop;
  },
  ready,
  (gw) => {
    checkoutTrace(gw, `http://127.0.0.1:${zipkin}`, {
      gateway: 'gateway',
      payment: 'process-payment',
      handlers: ['product-on-payment-completed', 'basket-on-payment-completed'],
    });
    it('docker compose down -v leaves no container, volume or network behind', async () => {
      await shop!.stop();
      const { objects, volumes, mounted } = await shop!.leftovers();
      // At least PostgreSQL's and Kafka's named volumes were mounted, and none of them remains.
      expect(mounted.length, mounted.join(' ')).toBeGreaterThanOrEqual(2);
      expect({ objects, volumes }).toEqual({ objects: [], volumes: [] });
    }, 60_000);
  },
  // Beyond up's own --wait-timeout (300 s), so a start that fails is taken down by it, not abandoned.
  360_000,
);
