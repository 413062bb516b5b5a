import type { MiddlewareHandler } from 'hono';
import { ShopError } from '../errors.ts';
import { devSecret } from './dev-secret.ts';
import { sameSecret } from './same-secret.ts';

/**
 * Who may deliver events to a process's event routes: only a caller presenting the app API token
 * (its own daprd, or its event source), or anyone (`off`, explicitly).
 */
export type EventAuth = { mode: 'token'; token: string } | { mode: 'off' };

/** Where a development app API token is kept (what `task fn` serves and `task invoke` sends). */
export const DEV_APP_TOKEN_FILE = '.data/dev-app-api-token';

/** The header daprd puts the app API token in (`APP_API_TOKEN` in its environment). */
export const APP_TOKEN_HEADER = 'dapr-api-token';

/**
 * The CloudEvent extension attribute a Knative KafkaSource presents the app API token in (set by
 * its `spec.ceOverrides.extensions`; header `ce-apptoken` in binary mode): a source can add
 * attributes to what it delivers, not headers of its own choosing.
 */
export const APP_TOKEN_ATTRIBUTE = 'apptoken';

/**
 * Guards an event route: without the app API token (in `dapr-api-token`, or in `ce-apptoken` from
 * a KafkaSource), or with another, 401 and nothing is read.
 * A request that daprd forwards from another app (service invocation: it carries the caller's
 * app id) is refused with 403 even though daprd adds the token: events arrive from the sidecar's
 * own input bindings (or the function's KafkaSource), never from another app.
 */
export function eventCaller(auth: EventAuth): MiddlewareHandler {
  return async function eventCaller(c, next) {
    if (auth.mode === 'token') {
      const presented = c.req.header(APP_TOKEN_HEADER) ?? c.req.header(`ce-${APP_TOKEN_ATTRIBUTE}`);
      if (!presented || !sameSecret(presented, auth.token)) {
        throw new ShopError(
          'unauthenticated',
          `event deliveries need this function's app API token in "${APP_TOKEN_HEADER}"`,
        );
      }
    }
    const invokedBy = c.req.header('dapr-caller-app-id');
    if (invokedBy !== undefined)
      throw new ShopError(
        'forbidden',
        `events are delivered by this function's own input bindings, not invoked by another app (${invokedBy})`,
      );
    await next();
  };
}

/** Says loudly, at start, that event routes take deliveries from anyone (EVENT_AUTH=off). */
export function warnIfEventAuthOff(auth: { mode: string }, log: { warn: (o: object, msg: string) => void }): void {
  if (auth.mode === 'off')
    log.warn(
      { event_auth: 'off' },
      '!!! EVENT_AUTH=off: event routes are not authenticated; anyone who reaches this port can write its events (take stock, empty baskets, refund payments). Never in production.',
    );
}

/**
 * The event-route authentication of a process from its configuration: `APP_API_TOKEN`, else (in
 * development) the token of {@link DEV_APP_TOKEN_FILE}, made on first use; `EVENT_AUTH=off`: none.
 */
export function eventAuthFor(config: { mode: 'token' | 'off'; appApiToken?: string }): EventAuth {
  if (config.mode === 'off') return { mode: 'off' };
  return { mode: 'token', token: config.appApiToken ?? devSecret(DEV_APP_TOKEN_FILE) };
}
