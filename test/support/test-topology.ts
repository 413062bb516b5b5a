import { startTopology, type Topology } from '../../scripts/topology.ts';
import type { TopologyOptions } from '../../scripts/topology-plan.ts';
import { infraUrls } from './infra.ts';
import { GATEWAY_ADMIN } from './running-shop.ts';

/**
 * `task up` (or `task dapr:up` with `dapr`) as the tests start it: the test gateway's admin token,
 * quiet logs, traces to the test Zipkin; when it fails to start, the error carries the last
 * lines the processes wrote (all of them go to stderr too with SHOW_TOPOLOGY=1).
 */
export async function startTestTopology(
  env: Record<string, string>,
  opts: Omit<TopologyOptions, 'env' | 'onLine'>,
  cleanUp: () => Promise<void> = async () => {},
): Promise<Topology> {
  const output: string[] = [];
  return startTopology({
    ...opts,
    env: {
      ...env,
      ADMIN_TOKEN: GATEWAY_ADMIN,
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${infraUrls.zipkin}/api/v2/spans`,
    },
    onLine: (l) => {
      output.push(l);
      if (process.env.SHOW_TOPOLOGY) console.error(l);
    },
  }).catch(async (e) => {
    await cleanUp();
    throw new Error(`${(e as Error).message}\n${output.slice(-40).join('\n')}`);
  });
}
