import { describe, expect, it } from 'vitest';
import { createLog } from '../../platform/log.ts';
import { startTracing } from '../../platform/tracing.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { testApp } from '../../test/support/function-app.ts';
import { TEST_CARDS } from './provider.ts';

describe('logs of payments', () => {
  it('carry request and trace ids and never card numbers or CVVs, whatever happens to the payment', async () => {
    await startTracing('test', undefined);
    const lines: string[] = [];
    const log = createLog('test', 'trace', { write: (line: string) => void lines.push(line) });
    const deps = testDeps();
    await deps.products.insert([aProduct({ id: 'mug', stock: 5 })]);
    await deps.baskets.add('alice', 'mug', 1);
    const a = testApp(['process-payment'], deps, undefined, log);
    const card = (number: string, over = {}) => ({ number, holder: 'Alice Doe', expiry: '12/30', cvv: '987', ...over });
    expect(
      (
        await a.request(
          'POST',
          '/api/v1/payments',
          { user_id: 'alice', card: card(TEST_CARDS.declined) },
          { 'x-request-id': 'req-declined' },
        )
      ).status,
    ).toBe(402);
    expect(
      (
        await a.request('POST', '/api/v1/payments', {
          user_id: 'alice',
          card: card(TEST_CARDS.approved, { expiry: '13/99' }),
        })
      ).status,
    ).toBe(400);
    expect(
      (await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card('4242424242424241') })).status,
    ).toBe(400);
    expect(
      (
        await a.request(
          'POST',
          '/api/v1/payments',
          { user_id: 'alice', card: card(TEST_CARDS.approved) },
          { 'x-request-id': 'req-paid' },
        )
      ).status,
    ).toBe(201);

    const text = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const secret of [TEST_CARDS.declined, TEST_CARDS.approved, '4242424242424241', '"987"'])
      expect(text).not.toContain(secret);
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests.map((l) => [l.request_id, l.status])).toContainEqual(['req-paid', 201]);
    expect(requests.map((l) => [l.request_id, l.status])).toContainEqual(['req-declined', 402]);
    expect(requests.every((l) => typeof l.request_id === 'string' && l.level === 'info' && l.service === 'test')).toBe(
      true,
    );
    expect(requests.every((l) => /^[\da-f]{32}$/.test(l.trace_id) && /^[\da-f]{16}$/.test(l.span_id))).toBe(true);
  });
});
