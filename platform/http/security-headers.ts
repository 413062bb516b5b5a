import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Security headers on every answer: a JSON API is never framed, sniffed or used as a page
 * (`Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`, `X-Frame-Options: DENY`,
 * `X-Content-Type-Options: nosniff`), leaks no referrer, and asks for HTTPS from then on (HSTS;
 * browsers ignore it over plain HTTP).
 */
export const securityHeaders = (): MiddlewareHandler =>
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    // Browsers on other origins call the API through CORS (the allow-list decides).
    crossOriginResourcePolicy: 'cross-origin',
  });
