import type { CloudEvent, EventHandlerDef } from '../define.ts';
import { ShopError } from '../errors.ts';
import type { EventSigner } from './signature.ts';
import type { Log } from '../log.ts';
import { eventLag, eventsHandled } from '../metrics.ts';
import { contextFrom, inSpan, SpanKind, SpanStatusCode, traceFields } from '../tracing.ts';
import { parse } from '../validation.ts';

/** Reads an event's data as its topic's message (may load what it needs first). */
export type DecodeData = (topic: string, event: CloudEvent) => unknown | Promise<unknown>;

/**
 * Outcome of one delivery: done (handled, or given up on and sent to the dead-letter topic, and
 * why), or invalid (a poison event, never retried) and why. Other failures throw.
 */
export type DeliveryOutcome = { ok: true; deadLettered?: string } | { ok: false; reason: string };

/**
 * A handler's refusal that no redelivery can change: the event says what cannot be (another
 * currency, ...). It is dead-lettered at once, never retried. (`not_found` is retried: what an
 * event names may not be visible yet.)
 */
const isPermanent = (err: unknown) => err instanceof ShopError && err.code === 'invalid_argument';

/** Event handlers are called by the platform, not by a user. */
const PLATFORM = { admin: true } as const;

/** Builds the delivery function of an event handler, whatever transport delivers it. */
export function createDelivery<Deps>(def: EventHandlerDef<Deps>, deps: Deps, decode: DecodeData, signer: Pick<EventSigner, 'verify'>, log: Log) {
  const handler = def.handler(deps);
  return async (event: CloudEvent, context: Record<string, unknown> = {}): Promise<DeliveryOutcome> => {
    // The event carries the trace of what wrote it (the CloudEvent's traceparent, or the Kafka header).
    const parent = contextFrom(event.traceparent ?? (typeof context.traceparent === 'string' ? context.traceparent : undefined));
    const attributes = { 'messaging.destination.name': def.topic, 'messaging.message.id': event.id, 'messaging.consumer.group.name': def.name };
    return inSpan(def.name, SpanKind.CONSUMER, attributes, async (span) => {
      const child = log.child({ handler: def.name, event_id: event.id, ...context, ...traceFields(span) });
      // Given up on at once: never applied, never retried (the caller dead-letters it).
      const refuse = (reason: string, err?: unknown): DeliveryOutcome => {
        child.error({ err, reason }, 'event refused: not applied, not retried');
        eventsHandled.inc({ handler: def.name, outcome: 'invalid' });
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'event refused' });
        return { ok: false, reason: `event ${event.id} ${reason}` };
      };
      if (!signer.verify(event)) return refuse('does not carry a valid signature of the shop: it was not written by its functions');
      let data: unknown;
      try {
        data = parse(def.data, await decode(def.topic, event));
      } catch (err) {
        return refuse(`is not a valid ${def.topic} event: ${(err as Error).message}`, err);
      }
      try {
        await handler(data, event, { requestId: event.id, log: child, caller: PLATFORM });
      } catch (err) {
        if (isPermanent(err)) return refuse(`was refused by ${def.name}: ${(err as Error).message}`, err);
        eventsHandled.inc({ handler: def.name, outcome: 'failed' });
        throw err;
      }
      eventsHandled.inc({ handler: def.name, outcome: 'applied' });
      const written = Date.parse(event.time);
      if (Number.isFinite(written)) eventLag.observe({ handler: def.name }, Math.max(0, Date.now() - written) / 1000);
      return { ok: true };
    }, parent);
  };
}
