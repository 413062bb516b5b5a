import { infraUrls, requireInfra, uniqueName } from '../test/infra.ts';
import { shopFlow } from './shop-flow.ts';

const ready = (await requireInfra('postgres')) && (await requireInfra('redis'));
shopFlow(
  'PostgreSQL and Redis',
  { DATABASE_URL: infraUrls.postgres, DATABASE_SCHEMA: uniqueName('e2e'), REDIS_URL: infraUrls.redis, REDIS_PREFIX: `${uniqueName('e2e')}:`, BASKET_TTL_SECONDS: '60' },
  ready,
);
