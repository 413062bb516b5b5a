import { realInfraEnv } from '../test/real-infra-env.ts';
import { shopFlow } from './shop-flow.ts';
import { startEmbedded } from './test-gateway.ts';

const { ready, env } = await realInfraEnv();
shopFlow('every function in one process on PostgreSQL, Redis and Kafka', () => startEmbedded(env), ready);
