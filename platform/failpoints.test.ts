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

  it('are armed by FAILPOINTS, refused when unknown or outside development and tests', () => {
    expect(loadConfig({ FAILPOINTS: 'refund.after-reserve,add-to-basket.after-add' }).failpoints).toEqual([
      'refund.after-reserve',
      'add-to-basket.after-add',
    ]);
    expect(loadConfig({}).failpoints).toEqual([]);
    expect(() => loadConfig({ FAILPOINTS: 'refund.whenever' })).toThrow(/FAILPOINTS/);
    for (const NODE_ENV of ['production', 'staging', 'prod'])
      expect(() => loadConfig({ FAILPOINTS: 'refund.after-reserve', NODE_ENV })).toThrow(/FAILPOINTS.*refused/);
    expect(loadConfig({ FAILPOINTS: 'refund.after-reserve', NODE_ENV: 'test' }).failpoints).toHaveLength(1);
  });
});
