import type { CallContext, CloudEvent, EventHandlerDef, FunctionDef, Need } from '../platform/define.ts';
import type { Deps } from './deps.ts';
import { routes, type FunctionName } from './routes.ts';

/**
 * A shop function is declared once, in its own file, and everything else about it is derived:
 * its name is a key of the route table (checked by the compiler: `name` must be one, and the
 * registry's key must be it), the dependencies its handler may touch are the ones it `uses`
 * (its handler gets `Pick<Deps, …>` of exactly those), what its readiness checks (`needs`)
 * follows from them, and an event handler's topic is its route's.
 */

/** A function's definition: a request/response function or an event handler. */
export type Definition = FunctionDef<Deps> | EventHandlerDef<Deps>;

/** The definitions a process serves, by function name. */
export type Definitions = Partial<Record<FunctionName, Definition>>;

/** The given definitions with their names, in route-table order. */
export const definitionsIn = (defs: Definitions) =>
  (Object.keys(routes) as FunctionName[]).filter((name) => defs[name]).map((name) => [name, defs[name]!] as const);

/**
 * What the dependencies a function uses require to be up: its stores' servers, and the bus when it
 * publishes or consumes.
 */
export function needsOf(uses: readonly (keyof Deps)[], events: boolean): Need[] {
  return [
    // The built-in payment provider keeps its ledger in the shop's database.
    ...(uses.includes('products') || uses.includes('payments') || uses.includes('provider')
      ? (['database'] as const)
      : []),
    ...(uses.includes('baskets') ? (['redis'] as const) : []),
    ...(events ? (['events'] as const) : []),
  ];
}

/** The names of the route table's request/response functions and event handlers. */
export type RequestName = {
  [N in FunctionName]: (typeof routes)[N]['kind'] extends 'request' ? N : never;
}[FunctionName];
type EventName = Exclude<FunctionName, RequestName>;

/** A request/response function as its file declares it. */
type RequestDeclaration<N extends RequestName, U extends keyof Deps, I, O> = Omit<
  FunctionDef<Pick<Deps, U>, I, O>,
  'name' | 'needs'
> & {
  name: N;
  /** The dependencies its handler takes. */
  uses: readonly U[];
};

/** An event handler as its file declares it. */
type EventDeclaration<N extends EventName, U extends keyof Deps, D> = Omit<
  EventHandlerDef<Pick<Deps, U>, D>,
  'name' | 'needs' | 'topic' | 'handler'
> & {
  name: N;
  uses: readonly U[];
  /** `ctx.handler` is the handler's name: the consumer id it records processed events under. */
  handler: (deps: Pick<Deps, U>) => (data: D, event: CloudEvent, ctx: CallContext & { handler: N }) => Promise<void>;
};

/** Declares a request/response function; its needs follow from what it uses and publishes. */
export function defineFunction<const N extends RequestName, const U extends keyof Deps, I, O>({
  uses,
  ...def
}: RequestDeclaration<N, U, I, O>): FunctionDef<Deps, I, O> & { name: N } {
  const publishes = !!def.publishes?.length;
  // Moving money at the provider is written down as events (payment-completed, payment-refunded);
  // a function that only reads the provider's ledger (reconciliation) runs no recovery.
  return { ...def, needs: needsOf(uses, publishes), movesMoney: publishes && uses.includes('provider' as U) };
}

/** Declares an event handler; its topic is its route's, its needs follow from what it uses (and events). */
export function defineEventHandler<const N extends EventName, const U extends keyof Deps, D>({
  uses,
  handler,
  ...def
}: EventDeclaration<N, U, D>): EventHandlerDef<Deps, D> & { name: N } {
  return {
    ...def,
    topic: routes[def.name].topic,
    needs: needsOf(uses, true),
    movesMoney: !!def.publishes?.length && uses.includes('provider' as U),
    handler: (deps) => {
      const handle = handler(deps);
      return (data, event, ctx) => handle(data, event, { ...ctx, handler: def.name });
    },
  };
}
