import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { idSchema, intSchema, parse, textSchema } from './validation.ts';

const schema = v.object({ id: idSchema, nested: v.object({ n: intSchema(1, 5) }) });

describe('parse', () => {
  it('returns the validated value', () => {
    expect(parse(schema, { id: 'a-1', nested: { n: '3' }, extra: true })).toEqual({ id: 'a-1', nested: { n: 3 } });
  });

  it('throws a 400 naming the first offending field by its path', () => {
    expect(() => parse(schema, { id: 'a', nested: { n: 9 } })).toThrow(
      expect.objectContaining({ code: 'invalid_argument', field: 'nested.n', message: 'nested.n: must be at most 5' }),
    );
    expect(() => parse(schema, { nested: { n: 1 } })).toThrow(
      expect.objectContaining({ field: 'id', message: 'id: is required' }),
    );
    expect(() => parse(schema, { id: 'a b', nested: { n: 1 } })).toThrow(expect.objectContaining({ field: 'id' }));
  });

  it('refuses integers written with exponents, fractions or beyond 16 digits', () => {
    for (const n of ['1e2', '1.0', '12345678901234567', 2.5, Number.NaN, Infinity]) {
      expect(() => parse(intSchema(-1e18, 1e18), n), String(n)).toThrow();
    }
  });

  it('refuses text with the NUL character, which PostgreSQL text cannot hold (found by the hostile-input property)', () => {
    const named = v.object({ name: textSchema(200) });
    for (const name of ['\u0000', 'a\u0000b'])
      expect(() => parse(named, { name }), JSON.stringify(name)).toThrow(
        expect.objectContaining({
          code: 'invalid_argument',
          field: 'name',
          message: 'name: must not contain the NUL character',
        }),
      );
    expect(parse(named, { name: ' tab\there ' })).toEqual({ name: 'tab\there' });
  });
});

describe('parse refuses text that is not well-formed Unicode', () => {
  const anyText = v.object({
    name: textSchema(200),
    card: v.object({ holder: v.string() }),
    tags: v.array(v.string()),
  });
  const ok = { name: 'Mug', card: { holder: 'A B' }, tags: ['a'] };

  it('a lone surrogate in any string, however its schema reads it, is a 400 naming the field', () => {
    for (const [input, field] of [
      [{ ...ok, name: 'Mug \ud800' }, 'name'],
      [{ ...ok, name: '\udfffMug' }, 'name'],
      [{ ...ok, card: { holder: 'A \udc00 B' } }, 'card.holder'],
      [{ ...ok, tags: ['a', 'b\ud83d'] }, 'tags.1'],
    ] as const)
      expect(() => parse(anyText, input), field).toThrow(
        expect.objectContaining({
          code: 'invalid_argument',
          field,
          message: `${field}: must be well-formed Unicode text (it holds a lone surrogate)`,
        }),
      );
  });

  it('takes surrogate pairs, U+FFFD, and a lone surrogate in a field the schema drops', () => {
    expect(parse(anyText, { ...ok, name: '𝔘 🚀 \ufffd', ignored: '\ud800' })).toEqual({ ...ok, name: '𝔘 🚀 \ufffd' });
  });
});
