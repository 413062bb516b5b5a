import type { Context, Hono } from 'hono';
import { atMostEvery } from './at-most-every.ts';
import type { RequestVars } from './http/request-context.ts';

/** A readiness check of one dependency: resolves when it answers, throws why not. */
export type Check = () => Promise<void>;

/** How long one check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

/** How long the checks' answer is served as is: however many ask, the dependencies are asked once a second. */
const READY_FOR_MS = 1_000;

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
 * send me no traffic until it passes). The checks run at most once a second by `now` (ms), for
 * every caller of either path: a flood of probes costs the dependencies nothing more.
 */
export function mountHealth(
  app: Hono<{ Variables: RequestVars }>,
  checks: Record<string, Check>,
  info: Record<string, unknown> = {},
  now: () => number = () => performance.now(),
): void {
  app.get('/health/live', (c) => c.json({ status: 'ok', ...info }));
  const readiness = atMostEvery(
    READY_FOR_MS,
    async () => {
      const results = Object.fromEntries(
        await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await run(check)] as const)),
      );
      const ok = Object.values(results).every((r) => r.ok);
      return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'unavailable', ...info, checks: results } };
    },
    now,
  );
  const ready = async (c: Context) => {
    const { status, body } = await readiness();
    return c.json(body, status as 200 | 503);
  };
  app.get('/health/ready', ready);
  app.get('/health', ready);
}
