/**
 * The event path, start here. From the function that writes an event to the handler that
 * applies it, in the order a message travels:
 *
 * Publish
 *   1. A function writes its change and the event in one transaction, to the outbox
 *      (platform/events/outbox.ts, sql-outbox.ts; events built by functions/events/topics.ts).
 *   2. The outbox relay (platform/events/outbox-relay.ts, started by functions/build-runtime.ts)
 *      publishes pending events to the bus, at least once, signed (platform/events/signature.ts).
 *
 * Transport: picked here, and only here, from `EVENT_TRANSPORT` (see {@link openBus} and
 * {@link startEventDelivery}). A bus is a plain transport that delivers each message at least
 * once and delivers it again when its listener throws; it never gives up on one.
 *   - memory: platform/events/memory-bus.ts, in this process (the embedded default);
 *   - kafka:  platform/events/kafka-bus.ts, one consumer group per handler;
 *   - dapr:   platform/events/dapr-bus.ts publishes through the sidecar; the sidecar's Kafka
 *             input binding (or a Knative KafkaSource) POSTs each message to the handler's
 *             binding route (platform/events/binding-route.ts, which turns the request into a
 *             message with http-message.ts), so nothing subscribes in the process.
 *
 * Receive: every message, whichever way it came, goes through its handler's one pipeline
 * (platform/events/pipeline.ts, built by {@link handlerPipeline}):
 *   3. read the CloudEvent (platform/events/cloud-event.ts, the one parser);
 *   4. attempts (platform/events/attempts.ts): verify the signature → check its time is within
 *      the replay window (platform/events/replay-window.ts) → decode the data
 *      (functions/events/decode.ts) → the handler (functions/<area>/on-*.ts). What can never be
 *      applied (no CloudEvent, a bad signature, time or data, a handler's `invalid_argument`) is
 *      dead-lettered at once; a failing handler is tried again in process, with backoff, up to
 *      `EVENT_MAX_ATTEMPTS`, then dead-lettered with the reason; a dependency that is down
 *      (`unavailable`) never counts: the failure goes back to the transport, which delivers the
 *      message again until the dependency is back.
 *   5. Dead letters go to the `dead-letters` topic (functions/events/dead-letter-sink.ts);
 *      `npm run dlq` (scripts/dlq.ts, functions/events/dead-letter-queue.ts) lists and replays them.
 * Handlers are idempotent by event id, so whatever comes twice changes nothing the second time.
 */
import type { Config } from '../platform/config.ts';
import type { EventHandlerDef } from '../platform/define.ts';
import type { EventBus } from '../platform/events/bus.ts';
import { memoryBus } from '../platform/events/memory-bus.ts';
import { eventPipeline, type EventPipeline, type PipelineOptions } from '../platform/events/pipeline.ts';
import type { Log } from '../platform/log.ts';
import type { Runtime } from './build-runtime.ts';
import { definitionsIn, type Definitions } from './definitions.ts';
import type { Deps } from './deps.ts';
import { decodeEvent } from './events/decode.ts';
import { routes } from './routes.ts';

/** The Kafka bus, connected; fails with a message naming Kafka when it is unreachable. */
async function openKafka(config: Config, log: Log): Promise<EventBus> {
  const { kafkaBus } = await import('../platform/events/kafka-bus.ts');
  const bus = kafkaBus({ brokers: config.kafkaBrokers, clientId: 'daprps', prefix: config.kafkaPrefix }, log);
  await bus.connect();
  return bus;
}

/** The bus through the Dapr sidecar. */
async function openDapr(config: Config): Promise<EventBus> {
  const { daprBus } = await import('../platform/events/dapr-bus.ts');
  return daprBus({ ...config.dapr, prefix: config.kafkaPrefix });
}

/**
 * The bus of `EVENT_TRANSPORT`: Kafka, the Dapr sidecar or in process. The client of the one in
 * use is the only one loaded (kafkajs and the Dapr SDK each take a while to import).
 */
export const openBus = (config: Config, log: Log): Promise<EventBus> | EventBus =>
  config.eventTransport === 'kafka'
    ? openKafka(config, log)
    : config.eventTransport === 'dapr'
      ? openDapr(config)
      : memoryBus(log);

/**
 * The pipeline of a shop event handler: its data decoded as its topic's protobuf message, its
 * time judged by the clock of `deps` (the one the shop dates its events with; tests fix it).
 */
export const handlerPipeline = (
  def: EventHandlerDef<Deps>,
  deps: Deps,
  o: Omit<PipelineOptions, 'decode' | 'now'>,
): EventPipeline => eventPipeline(def, deps, { ...o, decode: decodeEvent, now: () => Date.parse(deps.now()) });

/**
 * Starts delivering events to the event handlers among `defs`. On memory and Kafka each handler
 * subscribes to its topic in its own consumer group (its name), every message going through its
 * pipeline. Under Dapr the sidecar delivers to each handler's binding route, which the process
 * must then serve (`bindingRoutes`: a function served alone does, the embedded gateway does not;
 * it could not hear its handlers' events, so it refuses to start).
 */
export async function startEventDelivery(
  config: Pick<Config, 'eventTransport'>,
  defs: Definitions,
  runtime: Pick<Runtime, 'deps' | 'bus' | 'signer' | 'deadLetters'>,
  log: Log,
  served: { bindingRoutes: boolean },
): Promise<void> {
  const handlers = definitionsIn(defs).flatMap(([name, def]) => {
    const route = routes[name];
    return route.kind === 'event' ? [{ name, topic: route.topic, def: def as EventHandlerDef<Deps> }] : [];
  });
  if (config.eventTransport === 'dapr') {
    if (handlers.length && !served.bindingRoutes) {
      throw new Error(
        `EVENT_TRANSPORT=dapr delivers events through each handler's sidecar to its binding route, and this process serves none (${handlers.map((h) => h.name).join(', ')}): ` +
          'run the event handlers alone, each with its sidecar (task dapr:up), or this process with EVENT_TRANSPORT=memory or kafka',
      );
    }
    return;
  }
  for (const { name, topic, def } of handlers) {
    const pipeline = handlerPipeline(def, runtime.deps, {
      signer: runtime.signer,
      deadLetters: runtime.deadLetters,
      log,
    });
    await runtime.bus.subscribe(topic, name, async (message) => void (await pipeline.deliver(message)));
  }
}
