import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildRuntime, type Runtime } from '../functions/build-deps.ts';
import { testLog } from '../functions/test-deps.ts';
import { loadConfig } from '../platform/config.ts';
import { serve, type Server } from '../platform/http/serve.ts';
import { openPostgres } from '../platform/sql/postgres.ts';
import { allFunctions, createGateway } from './app.ts';
import { subscribeHandlers } from '../functions/subscribe-handlers.ts';

/** The admin token of test gateways. */
export const GATEWAY_ADMIN = 'e2e-admin-token-0123456789';

/**
 * Starts the gateway with every function in process on a free port, for a test file: PGlite in a
 * temporary folder unless `env` selects PostgreSQL (its DATABASE_SCHEMA is dropped afterwards).
 */
export function useEmbeddedGateway(env: Record<string, string> = {}, enabled = true) {
  const state = {} as { url: string; runtime: Runtime; server: Server; dataDir: string };
  beforeAll(async () => {
    if (!enabled) return;
    state.dataDir = await mkdtemp(join(tmpdir(), 'daprps-e2e-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: state.dataDir, ADMIN_TOKEN: GATEWAY_ADMIN, CORS_ORIGINS: 'http://shop.example', ...env });
    state.runtime = await buildRuntime(config, testLog, { relay: true });
    const gw = createGateway(config, testLog, state.runtime);
    await subscribeHandlers(allFunctions, state.runtime.deps, state.runtime.bus, testLog);
    state.server = await serve({ fetch: gw.app.fetch, rpc: gw.rpc, port: 0, host: '127.0.0.1' });
    state.url = `http://127.0.0.1:${state.server.port}`;
  });
  afterAll(async () => {
    await state.server?.close();
    await state.runtime?.close();
    if (state.dataDir) await rm(state.dataDir, { recursive: true, force: true });
    if (enabled && env.DATABASE_URL && env.DATABASE_SCHEMA) {
      const sql = await openPostgres({ url: env.DATABASE_URL });
      await sql.exec(`drop schema if exists ${env.DATABASE_SCHEMA} cascade`);
      await sql.close();
    }
  });
  return state;
}

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

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
