/**
 * What each published set of figures measures, as git pathspecs: a change there since their commit
 * makes them stale, and a change there not committed makes a run's stamp dirty. Tests beside the
 * code are not what is measured, nor is the reliability suites' record keeping.
 */
const notTests = [':(exclude,glob)**/*.test.ts', ':(exclude,glob)**/*.contract.ts'];
/** The runtime and its dependencies, measured by both. */
const runtime = ['functions', 'gateway', 'platform', 'components', 'package-lock.json', ...notTests];

export const measuredPaths = {
  // report.ts only writes the figures down.
  bench: [
    ...runtime,
    'scripts/bench',
    ':(exclude)scripts/bench/report.ts',
    'scripts/build',
    'scripts/build.ts',
    'scripts/dapr',
  ],
  reliability: [
    ...runtime,
    'test/reliability',
    ':(exclude)test/reliability/record-store.ts',
    'test/support',
    'scripts/dapr',
  ],
} as const;

export type MeasuredSet = keyof typeof measuredPaths;
