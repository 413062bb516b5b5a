import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

/**
 * Every reading of the wall clock in test code, by file, with why it is not a timing assertion.
 * No test asserts how long something took: a loaded 2-core machine makes such a bound flake, and
 * figures belong in `npm run bench`. Tests fake the timers or inject a clock (the stores', the
 * limiter's, the JWKS cooldown's), or assert order. A new reading anywhere makes the test below
 * fail until it is listed here with its reason, for a reviewer to judge.
 */
const allowed: Record<string, { count: number; why: string }> = {
  'functions/basket/redis-outage.test.ts': { count: 2, why: 'how long recovery took, printed in the test note' },
  'gateway/storefront/storefront.browser.test.ts': { count: 1, why: "a session's expiry written as data" },
  'gateway/storefront/storefront.test.ts': {
    count: 1,
    why: 'a token expiry is in the future (a date, not a duration)',
  },
  'platform/sql/folder-lock.test.ts': {
    count: 4,
    why: 'dates as data (a stale lock), and a start instant two processes race from',
  },
  'platform/sql/lock-file.test.ts': { count: 1, why: 'a stale lock date written as data' },
  'platform/auth.test.ts': { count: 4, why: 'the start of a faked Date, and token expiries as data' },
  'platform/events/memory-bus.test.ts': { count: 1, why: 'read under faked timers: the waits asked for' },
  'platform/events/attempts.test.ts': { count: 1, why: 'read under faked timers: the waits asked for' },
  'platform/events/pipeline.test.ts': { count: 2, why: 'the deadline of a wait for a condition' },
  'test/image.test.ts': { count: 3, why: 'start times printed as figures, never asserted' },
  'test/reliability/kafka-outage.test.ts': { count: 2, why: 'how long Kafka was down, printed in the note' },
  'test/reliability/harness.ts': { count: 1, why: 'a unique consumer group name' },
  'test/dapr-components.test.ts': { count: 2, why: 'the deadline of a wait for daprd' },
  'test/support/node-process.ts': { count: 2, why: 'the deadline of a wait for output' },
  'test/contracts/event-bus.contract.ts': { count: 2, why: 'the deadline of a wait for a delivery' },
  'test/bundle.test.ts': { count: 3, why: 'the deadline of a wait for health' },
  'test/no-wall-clock.test.ts': { count: 0, why: 'this file names the readings only in a pattern' },
};

/** The test code: test files anywhere, and everything under test/. */
async function testFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const top of ['functions', 'gateway', 'platform', 'test', 'scripts'])
    for (const entry of await readdir(join(root, top), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const path = relative(root, join(entry.parentPath, entry.name));
      if (path.startsWith('test/') || entry.name.endsWith('.test.ts')) files.push(path);
    }
  return files;
}

describe('no test reads the wall clock to assert a duration', () => {
  it('reads it only where listed, as many times as listed', async () => {
    const found: Record<string, number> = {};
    const pattern = new RegExp(['performance', 'Date'].map((o) => `\\b${o}\\.now\\(\\)`).join('|'), 'g');
    for (const file of await testFiles()) {
      const count = (await readFile(join(root, file), 'utf8')).match(pattern)?.length ?? 0;
      if (count) found[file] = count;
    }
    const listed = Object.fromEntries(
      Object.entries(allowed)
        .filter(([, a]) => a.count > 0)
        .map(([f, a]) => [f, a.count]),
    );
    expect(found).toEqual(listed);
  });
});
