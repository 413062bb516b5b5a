import type { RestRequest } from '../../platform/define.ts';
import { defaultRestInput } from '../../platform/rest.ts';

/** Where a REST request carries an input field. */
export interface RestSource {
  in: 'path' | 'query' | 'header' | 'body';
  /** The path parameter, query parameter, header (as usually written, e.g. `Idempotency-Key`) or body field. */
  name: string;
}

const MARK = '\u0000rest-source\u0000';
const mark = (where: RestSource['in'], name: string) => `${MARK}${where}\u0000${name}`;

/** `idempotency-key` → `Idempotency-Key`. */
const headerName = (name: string) =>
  name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());

/** The parameters of a route path such as `/api/v1/products/:id`. */
const pathParameters = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/**
 * Where each input field comes from in a REST request, learnt from the function's own
 * `restInput` (or the default, body plus path parameters): it is given a request whose every
 * path parameter, query parameter, header and body field holds a mark saying where it is, and
 * each field of the input it builds shows which mark it took. A field it does not take from the
 * request (none today) has no source.
 */
export function restSources(
  path: string,
  restInput: ((req: RestRequest) => unknown) | undefined,
  fields: readonly string[],
): Map<string, RestSource> {
  const each = (where: RestSource['in'], names: readonly string[]) =>
    Object.fromEntries(names.map((name) => [name, mark(where, name)]));
  const headers = { get: (name: string) => mark('header', name.toLowerCase()) } as Headers;
  const input = (restInput ?? defaultRestInput)({
    params: each('path', pathParameters(path)),
    query: each('query', fields),
    headers,
    body: each('body', fields),
  });
  if (typeof input !== 'object' || input === null) throw new Error(`the REST input of ${path} is not an object`);
  const sources = new Map<string, RestSource>();
  for (const field of fields) {
    const value = (input as Record<string, unknown>)[field];
    if (typeof value !== 'string' || !value.startsWith(MARK)) continue;
    const [where, name] = value.slice(MARK.length).split('\u0000') as [RestSource['in'], string];
    sources.set(field, { in: where, name: where === 'header' ? headerName(name) : name });
  }
  return sources;
}
