import type { Context, Hono } from 'hono';
import type { RequestVars } from './http/request-context.ts';

/** A readiness check of one dependency: resolves when it answers, throws why not. */
export type Check = () => Promise<void>;

/** How long one check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

async function run(check: Check): Promise<{ ok: true; ms: number } | { ok: false; ms: number; error: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)),
      ),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (e) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Health endpoints: `GET /health/live` answers 200 while the process serves at all (liveness:
 * restart me when this fails); `GET /health/ready` (and `/health`) runs the checks of the
 * dependencies this process needs and answers 200, or 503 naming the failing ones (readiness:
 * send me no traffic until it passes).
 */
export function mountHealth(
  app: Hono<{ Variables: RequestVars }>,
  checks: Record<string, Check>,
  info: Record<string, unknown> = {},
): void {
  app.get('/health/live', (c) => c.json({ status: 'ok', ...info }));
  const ready = async (c: Context) => {
    const results = Object.fromEntries(
      await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await run(check)] as const)),
    );
    const ok = Object.values(results).every((r) => r.ok);
    return c.json({ status: ok ? 'ok' : 'unavailable', ...info, checks: results }, ok ? 200 : 503);
  };
  app.get('/health/ready', ready);
  app.get('/health', ready);
}
