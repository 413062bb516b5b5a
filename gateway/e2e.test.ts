import { shopFlow } from './shop-flow.ts';
import { startEmbedded } from './test-gateway.ts';

shopFlow('embedded default (PGlite, in-memory baskets, in-process events)', () => startEmbedded());
