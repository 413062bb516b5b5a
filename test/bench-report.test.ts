import { describe, expect, it } from 'vitest';
import { summary, table } from '../scripts/bench/report.ts';

describe('bench report', () => {
  it('shows a figure whose run failed as failed, with its error, never as a number', () => {
    const md = table([
      {
        name: 'Checkout throughput: the run failed',
        unit: '',
        value: Number.NaN,
        failed: 'GET x answered 503 | down',
        notes: '',
      },
      { name: 'Catalog read', unit: 'req/s', value: 1234, notes: 'ok' },
    ]);
    const [failed, ok] = md.split('\n').slice(2);
    expect(failed).toContain('| **failed** |');
    expect(failed).toContain('GET x answered 503 \\| down');
    expect(failed).not.toContain('NaN');
    expect(ok).toContain('| 1234 req/s |');
    expect(
      summary([{ name: 'Cold starts: the run failed', unit: '', value: Number.NaN, failed: 'x', notes: '' }]),
    ).toContain('**failed**');
  });
});
