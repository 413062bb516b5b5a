import type { Check } from '../platform/health.ts';
import type { Runtime } from './build-runtime.ts';
import type { Definition } from './definitions.ts';

/** The readiness checks of a function served alone: those of the dependencies it needs, no others. */
export const readinessChecks = (def: Definition, runtime: Pick<Runtime, 'checks'>): Record<string, Check> =>
  Object.fromEntries(def.needs.map((need) => [need, runtime.checks[need]!]));
