import { describe, expect, it } from 'vitest';
import { testLog } from '../../functions/test-deps.ts';
import { kafkaBus } from './kafka-bus.ts';

describe('Kafka connections', () => {
  it('fail at start with a message naming Kafka, the brokers and how to start it', async () => {
    const bus = kafkaBus({ brokers: ['127.0.0.1:1'], clientId: 'test' }, testLog);
    await expect(bus.connect()).rejects.toThrow(/Kafka is unreachable at 127\.0\.0\.1:1 .*npm run infra:up/);
  }, 60_000);
});
