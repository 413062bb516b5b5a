import * as v from 'valibot';
import { ShopError } from './errors.ts';

/** An identifier of a product, payment or user: 1-64 letters, digits, `_`, `-`, `.`, `@`. */
export const idSchema = v.pipe(
  v.string('must be a string'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(64, 'must be at most 64 characters'),
  v.regex(/^[A-Za-z0-9_.@-]+$/, 'may contain only letters, digits and _ . @ -'),
);

/** A trimmed text of `min` to `max` characters, without the NUL character. */
export const textSchema = (max: number, min = 1) =>
  v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.minLength(min, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
    // PostgreSQL text cannot hold it (an error, not a refusal, if it got that far).
    v.excludes('\u0000', 'must not contain the NUL character'),
  );

/** A whole number within bounds; a decimal string is accepted too, as the protobuf JSON mapping of int64 does. */
export const intSchema = (min: number, max: number) =>
  v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.regex(/^-?\d{1,16}$/), v.transform(Number))], 'must be an integer'),
    v.integer('must be an integer'),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

/** An idempotency key: 1-255 visible ASCII characters. */
const idempotencyKeySchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters'),
);

/**
 * The optional `idempotency_key` input field of a write a client may retry, said with
 * `description`; `''` (an unset string over Connect) means none.
 */
export const optionalIdempotencyKey = (description: string) =>
  v.optional(
    v.pipe(
      v.union([v.literal(''), idempotencyKeySchema], 'must be 1 to 255 visible ASCII characters'),
      v.description(description),
    ),
  );

/**
 * Largest amount of money anywhere, in minor units: a price, an order's total, a refund, an
 * event's amount (100 million in a currency of cents). An order above it is refused before it is
 * charged. With it, the largest basket (MAX_BASKET_LINES lines of MAX_LINE_QUANTITY units) is worth
 * about 1e15, below 2^53: every total is an exact integer.
 */
export const MAX_AMOUNT_MINOR = 10_000_000_000;

/**
 * The path of the first string in `value` that is not well-formed UTF-16 (it holds a lone
 * surrogate); built only on the way back from one, so a well-formed input allocates nothing.
 */
function illFormedAt(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : [];
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key in value) {
    const found = illFormedAt((value as Record<string, unknown>)[key]);
    if (found) {
      found.unshift(key);
      return found;
    }
  }
  return undefined;
}

/** A 400 naming `field` (a dotted path), if there is one. */
const invalidInput = (field: string | undefined, message: string) =>
  new ShopError('invalid_argument', field ? `${field}: ${message}` : message, field);

/**
 * Validates `value` against `schema`; the first issue becomes a 400 naming the offending field. So
 * does a string of the result that is not well-formed Unicode, whatever its schema: a lone surrogate
 * (`"\ud800"` in JSON) that no UTF-8 column, protobuf string or event could hold as sent.
 */
export function parse<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (result.success) {
    const at = illFormedAt(result.output);
    if (at)
      throw invalidInput(at.join('.') || undefined, 'must be well-formed Unicode text (it holds a lone surrogate)');
    return result.output;
  }
  const issue = result.issues[0];
  const field = issue.path?.map((p) => String(p.key)).join('.');
  throw invalidInput(field, issue.input === undefined && field ? 'is required' : issue.message);
}
