import { routes, type FunctionName } from '../functions/routes.ts';
import { freePorts, infraUrls, requireInfra } from '../test/support/infra.ts';
import { realInfraEnv } from '../test/support/real-infra-env.ts';
import { shopFlow } from '../test/support/shop-flow.ts';
import { checkoutTrace } from '../test/support/checkout-trace.ts';
import { dropSchema } from '../test/support/running-shop.ts';
import { startTestTopology } from '../test/support/test-topology.ts';

const { ready, env } = await realInfraEnv();

/** `task up` on free ports: every function its own process, the gateway forwarding to them. */
async function startSeparate() {
  const ports: Partial<Record<FunctionName, number>> = {};
  const names = Object.keys(routes) as FunctionName[];
  const free = await freePorts(names.length + 1);
  for (const [i, name] of names.entries()) ports[name] = free[i + 1]!;
  const topology = await startTestTopology(env, { gatewayPort: free[0]!, ports });
  return {
    url: topology.gatewayUrl,
    async stop() {
      await topology.stop();
      await dropSchema(env);
    },
  };
}

const tracing = ready && (await requireInfra('zipkin'));

shopFlow('every function its own process on PostgreSQL, Redis and Kafka (task up)', startSeparate, ready, (gw) => {
  if (tracing)
    checkoutTrace(gw, infraUrls.zipkin, {
      gateway: 'gateway',
      payment: 'process-payment',
      handlers: ['product-on-payment-completed', 'basket-on-payment-completed'],
    });
});
