import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { failpoints } from './failpoints.ts';

describe('failpoints', () => {
  it('kill at an armed step only', () => {
    const killed: string[] = [];
    let at = '';
    const crash = failpoints(['refund.after-reserve'], () => killed.push(at));
    for (const step of ['process-payment.after-begin', 'refund.after-reserve'] as const) {
      at = step;
      crash(step);
    }
    expect(killed).toEqual(['refund.after-reserve']);
  });

  it('are armed by FAILPOINTS, refused when unknown or with NODE_ENV=production', () => {
    expect(loadConfig({ FAILPOINTS: 'refund.after-reserve,add-to-basket.after-add' }).failpoints).toEqual([
      'refund.after-reserve',
      'add-to-basket.after-add',
    ]);
    expect(loadConfig({}).failpoints).toEqual([]);
    expect(() => loadConfig({ FAILPOINTS: 'refund.whenever' })).toThrow(/FAILPOINTS/);
    expect(() => loadConfig({ FAILPOINTS: 'refund.after-reserve', NODE_ENV: 'production' })).toThrow(
      /FAILPOINTS.*production/,
    );
  });
});
