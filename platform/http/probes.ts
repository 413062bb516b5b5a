/** The paths Kubernetes and Prometheus probe: answered, but neither limited, logged nor traced. */
const PROBE_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/**
 * Whether a request is a health or metrics probe: a GET (or HEAD) of one of those paths exactly.
 * Any other path under them (`/health/x`, `/healthz`) is a request like any other.
 */
export const isProbe = (req: { method: string; path: string }) =>
  (req.method === 'GET' || req.method === 'HEAD') && PROBE_PATHS.has(req.path);
