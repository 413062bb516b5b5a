import type { CloudEvent, EventHandlerDef } from '../define.ts';
import { ShopError } from '../errors.ts';
import type { Log } from '../log.ts';
import { eventLag, eventsHandled } from '../metrics.ts';
import { contextFrom, inSpan, SpanKind, SpanStatusCode, traceFields } from '../tracing.ts';
import { parse } from '../validation.ts';
import { withAttempts, type Attempt, type DeadLetterPolicy, type Delivered } from './attempts.ts';
import type { Message } from './bus.ts';
import { readCloudEvent, type ReadEvent } from './cloud-event.ts';
import { outsideReplayWindow } from './replay-window.ts';
import type { EventSigner } from './signature.ts';

/** What every handler's pipeline needs besides the handler. */
export interface PipelineOptions {
  /** Reads an event's data as its topic's message (may load what it needs first). */
  decode: (topic: string, event: CloudEvent) => unknown | Promise<unknown>;
  signer: Pick<EventSigner, 'verify'>;
  deadLetters: DeadLetterPolicy;
  log: Log;
  /** The clock an event's time is judged by (replay-window.ts), in ms since the epoch: the process's own. */
  now: () => number;
}

/** The way in to one event handler, the same for every transport. */
export interface EventPipeline {
  /**
   * A message from a transport (a bus, or a binding route fed from Kafka): attempts and dead
   * letters (attempts.ts). Resolves once the message is settled, applied or dead-lettered; throws
   * only to have it delivered again (a dependency is down, or its dead letter could not be sent).
   */
  deliver(message: Message): Promise<Delivered>;
  /**
   * A message from a direct caller (`task invoke`): one attempt, no dead letter; a refusal is
   * answered, a failure thrown.
   */
  once(message: Message): Promise<Attempt>;
}

/**
 * A handler's refusal that no redelivery can change: the event says what cannot be (another
 * currency, ...). It is dead-lettered at once, never retried. (`not_found` is retried: what an
 * event names may not be visible yet.)
 */
const isPermanent = (err: unknown) => err instanceof ShopError && err.code === 'invalid_argument';

/** Event handlers are called by the platform, not by a user. */
const PLATFORM = { admin: true } as const;

/**
 * The pipeline of one event handler: message → read the CloudEvent (cloud-event.ts) → [verify
 * its signature → refuse it outside the replay window (replay-window.ts) → decode its data → the
 * handler], the bracket being one attempt, made and made again by the attempts layer
 * (attempts.ts). The shop builds it in one place (functions/event-transport.ts,
 * `handlerPipeline`), for its bus subscription and for its binding route (binding-route.ts)
 * alike; it keeps no state between messages.
 */
export function eventPipeline<Deps>(def: EventHandlerDef<Deps>, deps: Deps, o: PipelineOptions): EventPipeline {
  const handler = def.handler(deps);

  const read = (message: Message): ReadEvent => {
    const result = message.unreadable ? { reason: message.unreadable } : readCloudEvent(message.text);
    if ('reason' in result) {
      o.log.error(
        { handler: def.name, key: message.key, ...message.context, reason: result.reason },
        'message refused: not applied, not retried',
      );
      eventsHandled.inc({ handler: def.name, outcome: 'invalid' });
    }
    return result;
  };

  const attempt = (event: CloudEvent, message: Message): Promise<Attempt> => {
    // The event carries the trace of what wrote it (the CloudEvent's traceparent, or the transport's).
    const traceparent =
      event.traceparent ?? (typeof message.context.traceparent === 'string' ? message.context.traceparent : undefined);
    const attributes = {
      'messaging.destination.name': def.topic,
      'messaging.message.id': event.id,
      'messaging.consumer.group.name': def.name,
    };
    return inSpan(
      def.name,
      SpanKind.CONSUMER,
      attributes,
      async (span) => {
        const log = o.log.child({
          handler: def.name,
          event_id: event.id,
          key: message.key,
          ...message.context,
          ...traceFields(span),
        });
        const refuse = (reason: string, err?: unknown): Attempt => {
          log.error({ err, reason }, 'event refused: not applied, not retried');
          eventsHandled.inc({ handler: def.name, outcome: 'invalid' });
          span.setStatus({ code: SpanStatusCode.ERROR, message: 'event refused' });
          return { refused: `event ${event.id} ${reason}` };
        };
        if (!o.signer.verify(event))
          return refuse('does not carry a valid signature of the shop: it was not written by its functions');
        // Its time is signed: only the shop could have dated it, and a replay keeps the date.
        const outside = outsideReplayWindow(event.time, o.now());
        if (outside) return refuse(outside);
        let data: unknown;
        try {
          data = parse(def.data, await o.decode(def.topic, event));
        } catch (err) {
          return refuse(`is not a valid ${def.topic} event: ${(err as Error).message}`, err);
        }
        try {
          await handler(data, event, { requestId: event.id, log, caller: PLATFORM });
        } catch (err) {
          if (isPermanent(err)) return refuse(`was refused by ${def.name}: ${(err as Error).message}`, err);
          eventsHandled.inc({ handler: def.name, outcome: 'failed' });
          throw err;
        }
        eventsHandled.inc({ handler: def.name, outcome: 'applied' });
        const written = Date.parse(event.time);
        eventLag.observe({ handler: def.name }, Math.max(0, o.now() - written) / 1000);
        return { applied: true };
      },
      contextFrom(traceparent),
    );
  };

  const policy = { ...o.deadLetters, topic: def.topic, handler: def.name };
  return {
    deliver: (message) => withAttempts(policy, message, read(message), (event) => attempt(event, message)),
    async once(message) {
      const result = read(message);
      return 'reason' in result ? { refused: result.reason } : attempt(result.event, message);
    },
  };
}
