import type { FunctionDef } from '../../platform/define.ts';
import type { RequestName } from '../definitions.ts';
import type { Deps } from '../deps.ts';
import { registry } from '../registry.ts';
import { routes, type FunctionName, type RequestRoute } from '../routes.ts';

/** Every request/response function, in route-table order: its name, REST route and definition. */
export const requestFunctions = (): { name: RequestName; route: RequestRoute; def: FunctionDef<Deps> }[] =>
  (Object.keys(routes) as FunctionName[]).flatMap((name) => {
    const route: (typeof routes)[FunctionName] = routes[name];
    return route.kind === 'request'
      ? [{ name: name as RequestName, route, def: registry[name] as FunctionDef<Deps> }]
      : [];
  });
