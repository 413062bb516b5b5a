import { routes, type EventRoute, type FunctionName, type RequestRoute } from '../../functions/routes.ts';
import { inputBinding } from './dapr-binding.ts';
import { configuration } from './dapr-configuration.ts';
import { pubsub } from './dapr-pubsub.ts';
import { resiliency } from './dapr-resiliency.ts';
import { cluster, local, type DaprTarget } from './dapr-targets.ts';

/** The event handlers and their routes, in route-table order. */
const handlers = () =>
  (Object.entries(routes) as [FunctionName, RequestRoute | EventRoute][]).filter(
    (e): e is [FunctionName, EventRoute] => e[1].kind === 'event',
  );

/**
 * The Dapr resources of one target, by file name: an input binding per event handler, the pub/sub,
 * resiliency and configuration.
 */
export function daprResources(t: DaprTarget): Map<string, string> {
  const events = handlers();
  const files = new Map<string, string>();
  for (const [name, route] of events) files.set(`${route.binding}.yaml`, inputBinding(name, route, t));
  files.set('pubsub.yaml', pubsub(t));
  files.set(
    'resiliency.yaml',
    resiliency(
      events.map(([, r]) => r.binding),
      'shop-pubsub',
    ),
  );
  files.set('config.yaml', configuration(t));
  return files;
}

/** Every Dapr resource of `components/local` and `components/cluster`. */
export function daprFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const t of [local, cluster])
    for (const [file, text] of daprResources(t)) files.set(`components/${t.folder}/${file}`, text);
  return files;
}
