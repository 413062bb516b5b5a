import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** What {@link securityHeaders} sets; SECURITY_HEADERS holds the same headers as one record. */
const OPTIONS: Parameters<typeof secureHeaders>[0] = {
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  // Browsers on other origins call the API through CORS (the allow-list decides).
  crossOriginResourcePolicy: 'cross-origin',
  // A route that sets one of these itself keeps it (a page's own Content-Security-Policy).
  overwrite: false,
};

/** The headers {@link securityHeaders} sets, as one record (a test holds them equal). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'cross-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Answers made with their security headers and request id already (platform/http/answer.ts). */
const complete = new WeakSet<Response>();

/** Marks an answer as made with its security headers and request id: no middleware adds them after. */
export function markComplete(res: Response): Response {
  complete.add(res);
  return res;
}

/** Whether an answer was made with its security headers and request id (see {@link markComplete}). */
export const isComplete = (res: Response) => complete.has(res);

const nothing = async () => {};

/**
 * Security headers on every answer: a JSON API is never framed, sniffed or used as a page
 * (`Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`, `X-Frame-Options: DENY`,
 * `X-Content-Type-Options: nosniff`), leaks no referrer, and asks for HTTPS from then on (HSTS;
 * browsers ignore it over plain HTTP). An answer that already has one of these headers keeps
 * it: a page the app serves sets a Content-Security-Policy of its own. An answer made with them
 * (answer.ts) is left as it is: adding headers after the handler turns its plain header record
 * into a web Headers object, on every request.
 */
export function securityHeaders(): MiddlewareHandler {
  const set = secureHeaders(OPTIONS);
  return async function securityHeaders(c, next) {
    await next();
    if (!isComplete(c.res)) await set(c, nothing); // sets them on the answer (nothing before `next`)
  };
}
