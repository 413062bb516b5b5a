import type { MiddlewareHandler } from 'hono';
import { contextFrom, inSpan, SpanKind, SpanStatusCode } from '../tracing.ts';
import { isProbe } from './probes.ts';
import { requestHeader } from './request-header.ts';
import { routeLabel } from './route-label.ts';

/**
 * A server span per request, continuing the caller's W3C `traceparent` (the gateway's, or a
 * client's); named after the route pattern once it is known. Health and metrics probes are not traced.
 */
export function httpTracing(): MiddlewareHandler {
  return async function httpTracing(c, next) {
    if (isProbe(c.req)) return next();
    const attributes = { 'http.request.method': c.req.method, 'url.path': c.req.path };
    await inSpan(
      c.req.method,
      SpanKind.SERVER,
      attributes,
      async (span) => {
        await next();
        if (!span.isRecording()) return; // ids only: nothing keeps a name or attributes
        const route = routeLabel(c);
        span.updateName(`${c.req.method} ${route}`);
        span.setAttributes({ 'http.route': route, 'http.response.status_code': c.res.status });
        if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      },
      contextFrom(requestHeader(c, 'traceparent')),
    );
  };
}
