import { shopFlow } from '../test/support/shop-flow.ts';
import { startEmbedded } from '../test/support/running-shop.ts';

shopFlow('embedded default (PGlite, in-memory baskets, in-process events)', () => startEmbedded());
