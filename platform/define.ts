import type * as v from 'valibot';
import type { Caller } from './auth.ts';
import type { Log } from './log.ts';

/** What a handler learns about the call, whatever the transport. */
export interface CallContext {
  requestId: string;
  log: Log;
  /** Who calls (an event handler is called by the platform, as an admin). */
  caller: Caller;
}

/** The parts of an HTTP request a REST route can read its input from. */
export interface RestRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Headers;
  body: unknown;
}

/** What a function needs to serve: its readiness checks exactly these. */
export type Need = 'database' | 'redis' | 'events';

/** A request/response function, defined once and served over REST, Connect-RPC or in process. */
// A registry holds definitions of many input and output types: with `unknown` as the default a
// definition's handler (contravariant in its input) would fit no common type.
// biome-ignore lint/suspicious/noExplicitAny: see above
export interface FunctionDef<Deps, I = any, O = any> {
  /** The function's name, a key of the route table. */
  name: string;
  /** The dependencies it cannot serve without (readiness); `events` when it publishes. */
  needs: readonly Need[];
  /** Validates the plain JSON input (snake_case field names, as in the REST API). */
  input: v.GenericSchema<unknown, I>;
  /**
   * `public`: anyone; `user`: an authenticated user acting for the `user_id` of its input (or an
   * admin), the handler checking the owner of what it loads; `admin`: an admin.
   */
  access: 'public' | 'user' | 'admin';
  /** Builds the plain input from a REST request; default: the JSON body plus the path parameters. */
  restInput?: (req: RestRequest) => unknown;
  /** Topics it writes to the outbox: a process serving it alone also runs the outbox relay. */
  publishes?: string[];
  /**
   * Its reads may come from the process's catalog cache (functions/product/catalog-cache.ts):
   * a process serving it keeps catalog pages in memory, emptied on every product change.
   */
  catalogCache?: boolean;
  /** It asks the payment provider: a process serving it also finishes what a crash left pending there. */
  movesMoney?: boolean;
  /** The REST status for an output; default 200, or 204 when there is no output. */
  restStatus?: (output: O) => number;
  /** The handler over its explicit dependencies. */
  handler: (deps: Deps) => (input: I, ctx: CallContext) => Promise<O>;
}

/** A CloudEvents 1.0 envelope as it travels on the bus, data in protobuf JSON. */
export interface CloudEvent<D = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: 'application/json';
  subject?: string;
  traceparent?: string;
  data: D;
}

/** An event handler, triggered by the bus (in process, Kafka, or a Dapr binding). */
// biome-ignore lint/suspicious/noExplicitAny: as FunctionDef's input
export interface EventHandlerDef<Deps, D = any> {
  name: string;
  /** The dependencies it cannot handle events without (readiness); always `events`. */
  needs: readonly Need[];
  topic: string;
  /** Validates the event data; an invalid event is not retried. */
  data: v.GenericSchema<unknown, D>;
  /** Topics it writes to the outbox: a process serving it alone also runs the outbox relay. */
  publishes?: string[];
  /** It asks the payment provider: a process serving it also finishes what a crash left pending there. */
  movesMoney?: boolean;
  handler: (deps: Deps) => (data: D, event: CloudEvent, ctx: CallContext) => Promise<void>;
}
