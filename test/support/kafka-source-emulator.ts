import { CloudEvent, HTTP } from 'cloudevents';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { KAFKA_RECORD_TYPE } from '../../platform/events/kafka-source.ts';

/**
 * Where one KafkaSource delivers: its topic and consumer group (prefixed), its sink, and the token
 * its ceOverrides add.
 */
export interface SourceTarget {
  topic: string;
  group: string;
  sink: string;
  apptoken: string;
}

/** Answers a KafkaSource retries (eventing-kafka-broker's WebClientCloudEventSender): 5xx, 404, 408, 409, 429. */
const retried = (status: number) => status >= 500 || [404, 408, 409, 429].includes(status);

/**
 * Feeds event handlers as Knative Eventing's KafkaSource does (eventing-kafka-broker 1.15): each
 * record of `topic`, read in `group`, is POSTed to the sink in CloudEvents binary mode, wrapped
 * as a `dev.knative.kafka.event` (Dapr's pub/sub writes no CloudEvent headers to Kafka) with the
 * record's value as data, `partition:<p>/offset:<o>` as id, `…#<topic>` as source, its key, and
 * the `apptoken` attribute; a retried answer is delivered again (kafkajs redelivers when the
 * handler throws), any other one commits the record. `hold` stops deliveries until its release.
 */
export async function emulateKafkaSources(
  brokers: string[],
  targets: SourceTarget[],
): Promise<{ hold(): () => void; stop(): Promise<void> }> {
  // While held, records are read but not delivered: what they would change waits for release.
  let gate: Promise<void> = Promise.resolve();
  const kafka = new Kafka({ clientId: 'kafka-source-emulator', brokers, logLevel: logLevel.NOTHING });
  const consumers: Consumer[] = [];
  for (const t of targets) {
    const consumer = kafka.consumer({
      groupId: t.group,
      retry: { retries: 100, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    await consumer.connect();
    await consumer.subscribe({ topic: t.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        await gate;
        const event = new CloudEvent(
          {
            specversion: '1.0',
            type: KAFKA_RECORD_TYPE,
            id: `partition:${partition}/offset:${message.offset}`,
            source: `/apis/v1/namespaces/test/kafkasources/${t.group}#${topic}`,
            subject: `partition:${partition}#${message.offset}`,
            key: message.key?.toString('utf8'),
            apptoken: t.apptoken,
            data: message.value?.toString('utf8') ?? '',
          } as never,
          false,
        );
        const { headers, body } = HTTP.binary(event);
        const res = await fetch(t.sink, {
          method: 'POST',
          headers: headers as Record<string, string>,
          body: body as string,
        });
        await res.arrayBuffer();
        if (retried(res.status)) throw new Error(`${t.sink} answered ${res.status}: delivered again`);
      },
    });
    consumers.push(consumer);
  }
  return {
    hold() {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return release;
    },
    stop: async () => void (await Promise.all(consumers.map((c) => c.disconnect()))),
  };
}
