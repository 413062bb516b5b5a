import fc from 'fast-check';

/** A lone surrogate: half of a UTF-16 pair, no character on its own (`"\ud800"` in JSON). */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** The paths of the strings in a JSON value. */
export const stringPaths = (value: unknown, path: string[] = []): string[][] =>
  typeof value === 'string'
    ? [path]
    : value && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]))
      : [];

/** `input` with the string at `path` ending in `tail`. */
export function withTail(input: Record<string, unknown>, path: string[], tail: string): Record<string, unknown> {
  const copy = structuredClone(input);
  const parent = path.slice(0, -1).reduce((o, k) => o[k] as Record<string, unknown>, copy);
  const key = path.at(-1) ?? '';
  parent[key] = `${parent[key]}${tail}`;
  return copy;
}

/** `input` with one of its strings ending in a lone surrogate: valid but for that; none without strings. */
export function withLoneSurrogate(input: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>>[] {
  const paths = stringPaths(input);
  return paths.length
    ? [fc.tuple(fc.constantFrom(...paths), loneSurrogate).map(([path, c]) => withTail(input, path, c))]
    : [];
}
