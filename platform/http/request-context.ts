import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { trace } from '@opentelemetry/api';
import type { Log } from '../log.ts';
import { traceFields } from '../tracing.ts';
import { answerStatus, grpcStatusOf } from './answer-status.ts';
import { isProbe } from './probes.ts';
import { requestHeader } from './request-header.ts';
import { routeLabel } from './route-label.ts';
import { isComplete } from './security-headers.ts';

/** Per-request values set by {@link requestContext}. */
export interface RequestVars {
  requestId: string;
  log: Log;
  /** The route pattern of a request no route handler answered (a 405), for its labels. */
  route?: string;
  /** The `grpc-status` a gRPC-Web answer carries in its body, for the log line and metrics. */
  grpcStatus?: number;
}

/**
 * Gives each request an id (kept from `X-Request-Id` when sane) and a child logger with it and the
 * trace id; logs one JSON line per request (an RPC too, whatever its protocol), with its route
 * pattern and the status it is counted with (and a gRPC answer's `grpc_status`).
 */
export function requestContext(log: Log): MiddlewareHandler<{ Variables: RequestVars }> {
  return async function requestContext(c, next) {
    const incoming = requestHeader(c, 'x-request-id');
    const requestId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    const span = trace.getActiveSpan();
    const child = log.child({ request_id: requestId, ...(span ? traceFields(span) : {}) });
    c.set('requestId', requestId);
    c.set('log', child);
    const started = performance.now();
    await next();
    // On the answer's headers (c.header() now would copy the whole answer into a new one), unless
    // it was made with it (answer.ts).
    if (!isComplete(c.res)) c.res.headers.set('X-Request-Id', requestId);
    if (isProbe(c.req)) return;
    const grpcStatus = grpcStatusOf(c);
    child.info(
      {
        method: c.req.method,
        path: c.req.path,
        route: routeLabel(c),
        status: answerStatus(c, grpcStatus),
        ...(grpcStatus === undefined ? {} : { grpc_status: grpcStatus }),
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  };
}
