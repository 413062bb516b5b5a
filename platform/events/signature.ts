import { createHmac } from 'node:crypto';
import type { CloudEvent } from '../define.ts';
import type { EventBus } from './bus.ts';
import { devSecret } from '../security/dev-secret.ts';
import { sameSecret } from '../security/same-secret.ts';

/** Where a development signing key is kept, shared by every process started from the repository. */
const DEV_EVENT_SIGNING_KEY_FILE = '.data/dev-event-signing-key';

/** The CloudEvent extension attribute that carries an event's signature. */
const SIGNATURE_ATTRIBUTE = 'signature';

/** Signs the events a process writes and checks the ones it receives. */
export interface EventSigner {
  /** The event with its signature. */
  sign(event: CloudEvent): CloudEvent;
  /** Whether the event carries a valid signature. */
  verify(event: CloudEvent): boolean;
}

/** JSON with object keys sorted at every level: the same text for the same value, whoever serialised it. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * HMAC-SHA256 signatures over what an event says (id, source, type, subject, time, data), in a
 * canonical form: what transports add or reorder (Dapr's tracing and topic fields, PostgreSQL's
 * jsonb key order) does not matter; any change to what it says does. Only holders of the key,
 * the shop's own functions, can write an event that a handler applies.
 */
export function eventSigner(key: string): EventSigner {
  const mac = (e: CloudEvent) =>
    createHmac('sha256', key)
      .update(
        canonical({ id: e.id, source: e.source, type: e.type, subject: e.subject ?? null, time: e.time, data: e.data }),
      )
      .digest('base64url');
  return {
    sign: (event) => ({ ...event, [SIGNATURE_ATTRIBUTE]: mac(event) }),
    verify: (event) => {
      const presented = (event as unknown as Record<string, unknown>)[SIGNATURE_ATTRIBUTE];
      return typeof presented === 'string' && sameSecret(presented, mac(event));
    },
  };
}

/**
 * The signer of a process: `EVENT_SIGNING_KEY`, else (development) the key of {@link
 * DEV_EVENT_SIGNING_KEY_FILE}, made on first use.
 */
export const signerFor = (key: string | undefined): EventSigner =>
  eventSigner(key ?? devSecret(DEV_EVENT_SIGNING_KEY_FILE));

/** A bus that signs every event it publishes. */
export const signingBus = (bus: EventBus, signer: EventSigner): EventBus => ({
  publish: (topic, key, event) => bus.publish(topic, key, signer.sign(event)),
  ...(bus.publishAll && {
    publishAll: (events) => bus.publishAll!(events.map((e) => ({ ...e, event: signer.sign(e.event) }))),
  }),
  subscribe: (topic, group, listener) => bus.subscribe(topic, group, listener),
  ready: () => bus.ready(),
  close: () => bus.close(),
});
