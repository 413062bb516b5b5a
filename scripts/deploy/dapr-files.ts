import { routes, type EventRoute, type FunctionName, type RequestRoute } from '../../functions/routes.ts';
import { inputBinding } from './dapr-binding.ts';
import { configuration } from './dapr-configuration.ts';
import { pubsub } from './dapr-pubsub.ts';
import { resiliency } from './dapr-resiliency.ts';
import { cluster, local } from './dapr-targets.ts';

/** The event handlers and their routes, in route-table order. */
const handlers = () =>
  (Object.entries(routes) as [FunctionName, RequestRoute | EventRoute][]).filter((e): e is [FunctionName, EventRoute] => e[1].kind === 'event');

/** Every Dapr resource of `components/local` and `components/cluster`: an input binding per event handler, the pub/sub, resiliency and configuration. */
export function daprFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const t of [local, cluster]) {
    const dir = `components/${t.folder}`;
    for (const [name, route] of handlers()) files.set(`${dir}/${route.binding}.yaml`, inputBinding(name, route, t));
    files.set(`${dir}/pubsub.yaml`, pubsub(t));
    files.set(`${dir}/resiliency.yaml`, resiliency(handlers().map(([, r]) => r.binding), 'shop-pubsub'));
    files.set(`${dir}/config.yaml`, configuration(t));
  }
  return files;
}
