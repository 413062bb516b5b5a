import { describe, expect, it } from 'vitest';
import { brand, expired, luhn } from './card.ts';

describe('card checks', () => {
  it('passes valid numbers through Luhn and fails a changed digit', () => {
    expect(luhn('4242424242424242')).toBe(true);
    expect(luhn('4000000000000002')).toBe(true);
    expect(luhn('5555555555554444')).toBe(true);
    expect(luhn('4242424242424241')).toBe(false);
  });

  it('tells the brand from the prefix', () => {
    expect([brand('4242424242424242'), brand('5555555555554444'), brand('378282246310005'), brand('9999')]).toEqual([
      'visa',
      'mastercard',
      'amex',
      'unknown',
    ]);
  });

  it('treats a card as valid through the end of its expiry month', () => {
    expect(expired('01/26', new Date('2026-01-31T23:59:59Z'))).toBe(false);
    expect(expired('01/26', new Date('2026-02-01T00:00:00Z'))).toBe(true);
  });
});
