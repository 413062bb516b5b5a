import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics } from '../../platform/events/kafka-bus.ts';
import { progress } from './figure.ts';
import { median, quantile } from './stats.ts';

/**
 * The event-lag baseline: Kafka alone, with the settings our bus uses (idempotent producer,
 * acks from all replicas): from a send until a consumer of its own group receives the message,
 * one message at a time; three warm-up messages are not counted.
 */
export async function kafkaRoundTrip(
  brokers: string[],
  topic: string,
  count: number,
): Promise<{ p50: number; p99: number }> {
  await ensureTopics(brokers, [topic], 1);
  const kafka = new Kafka({ clientId: 'bench-round-trip', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}-round-trip` });
  let received: ((at: number) => void) | undefined;
  try {
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => received?.(performance.now()) });
    const lags: number[] = [];
    for (let i = 0; i < count + 3; i++) {
      const arrived = new Promise<number>((resolve, reject) => {
        received = resolve;
        setTimeout(() => reject(new Error(`Kafka round trip ${i}: not received within 30 s`)), 30_000).unref();
      });
      const t0 = performance.now();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: String(i) }] });
      const lag = (await arrived) - t0;
      if (i >= 3) lags.push(lag);
    }
    progress(
      `Kafka alone, send → receive: p50 ${median(lags).toFixed(1)} ms, p99 ${quantile(lags, 0.99).toFixed(1)} ms`,
    );
    return { p50: median(lags), p99: quantile(lags, 0.99) };
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}
