import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import { buildRuntime, type Runtime } from '../../functions/build-runtime.ts';
import { testLog } from './test-log.ts';
import { signToken } from '../../platform/auth.ts';
import { loadConfig } from '../../platform/config.ts';
import { serve } from '../../platform/http/serve.ts';
import { openPostgres } from '../../platform/sql/postgres.ts';
import { copyPgliteTemplate } from './pglite-template.ts';
import { createGateway } from '../../gateway/create-gateway.ts';
import { registry } from '../../functions/registry.ts';
import { startEventDelivery } from '../../functions/event-transport.ts';

/** The admin token of test gateways. */
export const GATEWAY_ADMIN = 'e2e-admin-token-0123456789';

/** The HS256 secret test shops verify user tokens with. */
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789-abcdefghijklmnop';

/** Headers that authenticate a request as `user` (a JWT signed with {@link TEST_JWT_SECRET}). */
export const asUser = async (user: string, admin = false) => ({
  authorization: `Bearer ${await signToken(TEST_JWT_SECRET, user, { admin })}`,
});

/** A running shop for a test: where its gateway answers, and how to stop it. */
export interface RunningShop {
  url: string;
  stop(): Promise<void>;
}

/** Starts a shop before the file's tests and stops it after; `state.url` is its gateway. */
export function useShop(start: () => Promise<RunningShop>, enabled = true, startTimeoutMs?: number): { url: string } {
  const state = { url: '' };
  let shop: RunningShop | undefined;
  beforeAll(async () => {
    if (!enabled) return;
    shop = await start();
    state.url = shop.url;
  }, startTimeoutMs);
  afterAll(async () => shop?.stop());
  return state;
}

/** Drops the test's PostgreSQL schema when `env` names one. */
export async function dropSchema(env: Record<string, string>): Promise<void> {
  if (!env.DATABASE_URL || !env.DATABASE_SCHEMA) return;
  const sql = await openPostgres({ url: env.DATABASE_URL });
  await sql.exec(`drop schema if exists ${env.DATABASE_SCHEMA} cascade`);
  await sql.close();
}

/**
 * The gateway with every function in process on a free port, its event handlers subscribed:
 * PGlite in a temporary folder unless `env` selects PostgreSQL (its DATABASE_SCHEMA is dropped
 * when stopped); `relay: false` leaves publishing the outbox to other processes.
 */
export async function startEmbedded(
  env: Record<string, string> = {},
  opts: { relay?: boolean } = {},
): Promise<RunningShop & { runtime: Runtime }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'daprps-e2e-'));
  if (!env.DATABASE_URL) await copyPgliteTemplate(dataDir);
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: GATEWAY_ADMIN,
    JWT_SECRET: TEST_JWT_SECRET,
    CORS_ORIGINS: 'http://shop.example',
    RATE_LIMIT_BURST: '1000000',
    ...env,
  });
  const runtime = await buildRuntime(config, testLog, {
    relay: opts.relay ?? true,
    catalogCache: true,
    recovery: true,
  }); // as gateway/main.ts
  const gw = createGateway(config, testLog, runtime);
  await startEventDelivery(config, registry, runtime, testLog, { bindingRoutes: false });
  const server = await serve({ fetch: gw.app.fetch, rpc: gw.rpc, port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${server.port}`,
    runtime,
    async stop() {
      await server.close();
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
      await dropSchema(env);
    },
  };
}

/** {@link useShop} on {@link startEmbedded}. */
export const useEmbeddedGateway = (env: Record<string, string> = {}, enabled = true) =>
  useShop(() => startEmbedded(env), enabled);

/** Calls `url` with an optional JSON body; returns status, parsed body and headers. */
export async function call(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Polls `check` until it returns true, or fails after `timeoutMs`: {@link vi.waitFor} for a yes/no check. */
export const eventually = (check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> =>
  vi.waitFor(
    async () => {
      if (!(await check())) throw new Error('condition not met in time');
    },
    { timeout: timeoutMs, interval: 25 },
  );
