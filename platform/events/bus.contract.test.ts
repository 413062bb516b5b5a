import { infraUrls, requireInfra, uniqueName } from '../../test/support/infra.ts';
import { testLog } from '../../test/support/test-log.ts';
import { busContract } from '../../test/contracts/event-bus.contract.ts';
import { ensureTopics, kafkaBus } from './kafka-bus.ts';
import { memoryBus } from './memory-bus.ts';

busContract('memory', async () => ({
  bus: memoryBus(testLog, { firstDelayMs: 1, maxDelayMs: 5 }),
  freshTopic: async () => uniqueName('topic'),
}));

const brokers = [new URL(infraUrls.kafka).host];
busContract(
  'Kafka',
  async () => {
    const bus = kafkaBus({ brokers, clientId: 'contract' }, testLog);
    await bus.connect();
    return {
      bus,
      async freshTopic() {
        const topic = uniqueName('contract');
        await ensureTopics(brokers, [topic], 1);
        return topic;
      },
    };
  },
  await requireInfra('kafka'),
);
