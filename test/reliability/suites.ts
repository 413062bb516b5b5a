/** What a reliability suite records: event figures, or a check's cases. */
export type SuiteKind = 'events' | 'check';

/**
 * Every reliability suite the report knows, by the name its figures are recorded under: what it
 * records, its test file and the guarantee it proves. A suite missing from a run shows as "not run".
 */
export const suites = {
  'crash-before-publish': {
    kind: 'events',
    test: 'test/reliability/crash-before-publish.test.ts',
    guarantee:
      'Transactional outbox: a payment committed by a process killed before publishing is still delivered, once',
  },
  'dead-letters': {
    kind: 'events',
    test: 'test/reliability/dead-letters.test.ts',
    guarantee:
      'Poison messages: dead-lettered with the reason after bounded retries, the partition keeps flowing, replay applies the fix',
  },
  duplicates: {
    kind: 'events',
    test: 'test/reliability/duplicates.test.ts',
    guarantee:
      'Exactly-once effects over at-least-once delivery: the same event three times changes stock and basket once',
  },
  idempotency: {
    kind: 'events',
    test: 'test/reliability/idempotency.test.ts',
    guarantee:
      'Idempotent payments: the same Idempotency-Key charges once, also under concurrent retries; another body with it is a 422',
  },
  'kafka-outage': {
    kind: 'events',
    test: 'test/reliability/kafka-outage.test.ts',
    guarantee:
      'Kafka down for 10 s during checkouts: payments still succeed, and every effect happens after Kafka is back, once',
  },
  oversell: {
    kind: 'events',
    test: 'test/reliability/oversell.test.ts',
    guarantee: 'No overselling; the saga refunds what stock cannot serve: 200 concurrent checkouts of stock 10',
  },
  'money-crash': {
    kind: 'check',
    test: 'test/reliability/money-crash.test.ts',
    guarantee:
      'Money moves once across crashes: process-payment and refund-payment SIGKILLed at each step (after the pending row, after the provider answered) settle after a restart, charged and refunded once, the ledgers reconciled',
  },
  'hostile-input-real': {
    kind: 'check',
    test: 'gateway/hostile-input.test.ts',
    guarantee:
      'Bad input (PostgreSQL and Redis), over REST and every RPC protocol, binary bodies and lone surrogates included: always a 4xx with an error, never a 5xx, and a refusal changes nothing',
  },
  'hostile-input': {
    kind: 'check',
    test: 'gateway/hostile-input.test.ts',
    guarantee:
      'Bad input (embedded default: PGlite, baskets in memory), over REST and every RPC protocol, binary bodies and lone surrogates included: always a 4xx with an error, never a 5xx, and a refusal changes nothing',
  },
  'redis-outage': {
    kind: 'check',
    test: 'functions/basket/redis-outage.test.ts',
    guarantee: 'Redis down: basket endpoints answer 503 with a clear error, and work again when it is back',
  },
} as const satisfies Record<string, { kind: SuiteKind; test: string; guarantee: string }>;

/** The name of a known reliability suite. */
export type SuiteName = keyof typeof suites;
