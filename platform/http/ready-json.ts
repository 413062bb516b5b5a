import { createHash } from 'node:crypto';

/** An answer's JSON as bytes, and its entity tag (a hash of those bytes). */
export interface ReadyJson {
  body: Buffer;
  etag: string;
}

/** Values declared unchanging, with their JSON once made (null until first asked). */
const made = new WeakMap<object, ReadyJson | null>();

/**
 * Declares that `value` will not change from now on (a page a cache keeps and hands to every
 * request that reads it): its JSON and ETag are then made once, on the first answer, and kept
 * with it ({@link readyJson}). Returns `value`.
 */
export function unchanging<T extends object>(value: T): T {
  if (!made.has(value)) made.set(value, null);
  return value;
}

/**
 * The JSON of a value declared {@link unchanging}, as bytes, with a strong ETag: a hash of those
 * bytes, so two answers share an ETag exactly when they share their bytes (a changed product
 * changes every page that shows it). Undefined for any other value.
 */
export function readyJson(value: unknown): ReadyJson | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ready = made.get(value);
  if (ready !== null) return ready;
  const body = Buffer.from(JSON.stringify(value));
  const json = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
  made.set(value, json);
  return json;
}

/**
 * Whether an `If-None-Match` header matches `etag`: `*`, or a list of entity tags one of which
 * is `etag`, weakly compared (`W/"x"` matches `"x"`), as RFC 9110 asks for GET and HEAD.
 */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return (t.startsWith('W/') ? t.slice(2) : t) === etag;
  });
}
