import { realInfraEnv } from '../test/support/real-infra-env.ts';
import { shopFlow } from '../test/support/shop-flow.ts';
import { startEmbedded } from '../test/support/running-shop.ts';

const { ready, env } = await realInfraEnv();
shopFlow('every function in one process on PostgreSQL, Redis and Kafka', () => startEmbedded(env), ready);
