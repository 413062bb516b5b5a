import type { EventHandlerDef, FunctionDef } from '../platform/define.ts';
import type { Deps } from './deps.ts';
import { routes, type FunctionName } from './routes.ts';

/** A function's definition: a request/response function or an event handler. */
export type Definition = FunctionDef<Deps> | EventHandlerDef<Deps>;

/** The definitions a process serves, by function name. */
export type Definitions = Partial<Record<FunctionName, Definition>>;

/** The given definitions with their names, in route-table order. */
export const definitionsIn = (defs: Definitions) =>
  (Object.keys(routes) as FunctionName[]).filter((name) => defs[name]).map((name) => [name, defs[name]!] as const);
