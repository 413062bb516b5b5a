import { CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr';
import { ShopError } from '../errors.ts';
import type { EventBus } from './bus.ts';

/** Where the sidecar is, the pub/sub component to publish with, and the topic prefix. */
export interface DaprBusOptions {
  host: string;
  httpPort: number;
  pubsub: string;
  prefix?: string;
  /** The token the sidecar's API requires (`DAPR_API_TOKEN`), sent as `dapr-api-token`. */
  apiToken?: string;
}

/**
 * The event bus through a Dapr sidecar (`@dapr/dapr`, HTTP): publishes each CloudEvent as is
 * (content type `application/cloudevents+json`, so Dapr keeps our envelope and only adds its
 * tracing fields) with the event's key as Kafka partition key. Events reach handlers through
 * the sidecar's input bindings, which POST them to the handler's binding route
 * (binding-route.ts), so this bus does not subscribe. Redelivery is then the binding's: it posts
 * a message again until the route answers 200 (`consumeRetryEnabled`), the transport's
 * at-least-once, not an attempt policy (attempts.ts gives up on events, answering 200 `DROP`).
 * The SDK reports a failed publish as a value; it is raised here.
 */
export function daprBus(opts: DaprBusOptions): EventBus {
  const client = new DaprClient({
    daprHost: opts.host,
    daprPort: String(opts.httpPort),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    ...(opts.apiToken ? { daprApiToken: opts.apiToken } : {}),
    logger: { level: LogLevel.Error },
  });
  return {
    async publish(topic, key, event) {
      // daprd fills in `traceparent` with a trace of its own unless the envelope has `traceid`
      // (its older name for the same value): with both, the consumers continue the writer's trace.
      const envelope = event.traceparent ? { ...event, traceid: event.traceparent } : event;
      const result = await client.pubsub.publish(opts.pubsub, `${opts.prefix ?? ''}${topic}`, envelope, {
        contentType: 'application/cloudevents+json',
        metadata: { partitionKey: key },
      });
      if (result.error) {
        throw new ShopError(
          'unavailable',
          `the Dapr sidecar at ${opts.host}:${opts.httpPort} did not publish to ${topic}: ${result.error.message}`,
          undefined,
          { cause: result.error },
        );
      }
    },
    async subscribe(topic) {
      throw new Error(`with Dapr, ${topic} events arrive through the sidecar's input bindings, not a subscription`);
    },
    async ready() {
      // The sidecar is up and its components (pub/sub, bindings) are initialised.
      const res = await fetch(`http://${opts.host}:${opts.httpPort}/v1.0/healthz/outbound`, {
        headers: opts.apiToken ? { 'dapr-api-token': opts.apiToken } : {},
      });
      if (!res.ok) throw new Error(`the Dapr sidecar at ${opts.host}:${opts.httpPort} answers ${res.status}`);
    },
    async close() {
      await client.stop();
    },
  };
}
