import { createClient, createRouterTransport, type Client, type Transport } from '@connectrpc/connect';
import type { DescService } from '@bufbuild/protobuf';
import type { CloudEvent } from '../../platform/define.ts';
import { eventSigner } from '../../platform/events/signature.ts';
import { createHttpApp } from '../../platform/http/create-http-app.ts';
import type { Config } from '../../platform/config.ts';
import type { Log } from '../../platform/log.ts';
import { loadOnce } from '../../platform/load-once.ts';
import { mountFunctions } from '../../functions/mount-functions.ts';
import type { Deps } from '../../functions/deps.ts';
import { definitionsOf } from '../../functions/registry.ts';
import { eventPaths, type FunctionName } from '../../functions/routes.ts';
import { testDeps } from './function-deps.ts';
import { recordingDeadLetters, testLog } from './test-log.ts';

/** The admin token of test apps. */
export const ADMIN = 'test-admin-token-0123456789';

/** The app API token the event routes of test apps require (what their sidecar would send). */
export const SIDECAR_TOKEN = 'test-app-api-token-0123456789';

/** Signs events as the shop's own functions do (with the test apps' key). */
export const testSigner = eventSigner('test-event-signing-key-0123456789abcdef');

/** Headers of a delivery from the function's own sidecar. */
const fromSidecar = { 'dapr-api-token': SIDECAR_TOKEN };

/** Serves functions in memory: `request` for REST (Hono `app.request`), `client` for Connect. */
export function testApp(
  names: FunctionName[],
  deps: Deps = testDeps(),
  adminToken: string | null = ADMIN,
  log: Log = testLog,
  auth: Config['auth'] = { mode: 'off' },
) {
  const app = createHttpApp({ log, bodyLimitBytes: 64 * 1024, ownBodyLimit: eventPaths(names) });
  const deadLetters = recordingDeadLetters();
  const rpc = mountFunctions({
    app,
    defs: definitionsOf(names),
    deps,
    deadLetters,
    eventAuth: { mode: 'token', token: SIDECAR_TOKEN },
    signer: testSigner,
    config: { adminToken: adminToken ?? undefined, auth, bodyLimitBytes: 64 * 1024, kafkaPrefix: '' },
    log,
  });
  // The RPC routes are built on first use, as in a server: so is this in-memory transport.
  const routed = loadOnce(async () => createRouterTransport(await rpc.load()));
  const transport: Transport = {
    unary: async (...args) => (await routed()).unary(...args),
    stream: async (...args) => (await routed()).stream(...args),
  };
  return {
    deps,
    app,
    /** What event handlers sent to the dead-letter topic. */
    deadLetters: deadLetters.sent,
    /** Sends a REST request; a body object is sent as JSON. */
    async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const init: RequestInit = {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      };
      if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
      const res = await app.request(`http://localhost${path}`, init);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    /**
     * Delivers an event to an event route as the function's own sidecar does (with its token),
     * signed as the shop signs it.
     */
    deliver(path: string, event: unknown, headers: Record<string, string> = {}) {
      const signed = event && typeof event === 'object' ? testSigner.sign(event as CloudEvent) : event;
      return this.request('POST', path, signed, { ...fromSidecar, ...headers });
    },
    client: <S extends DescService>(service: S): Client<S> => createClient(service, transport),
  };
}

/** Headers carrying the test admin token. */
export const asAdmin = { authorization: `Bearer ${ADMIN}` };
