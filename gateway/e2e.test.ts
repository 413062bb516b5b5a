import { shopFlow } from './shop-flow.ts';

shopFlow('embedded default (PGlite, in-memory baskets, in-process events)');
