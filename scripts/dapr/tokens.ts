import { randomBytes } from 'node:crypto';
import { devSecret } from '../../platform/security/dev-secret.ts';
import { DEV_APP_TOKEN_FILE } from '../../platform/security/event-caller.ts';

/**
 * The two secrets between a function and its sidecar: `app`, the token daprd presents to the
 * function's event routes; `api`, the token the sidecar's API requires from the function.
 */
export interface SidecarTokens {
  app: string;
  api: string;
}

/** Where the development sidecar API token is kept (`task dapr:up`). */
export const DEV_DAPR_API_TOKEN_FILE = '.data/dev-dapr-api-token';

/** Fresh random tokens (tests and benchmarks: one pair per function). */
export const randomSidecarTokens = (): SidecarTokens => ({
  app: randomBytes(24).toString('base64url'),
  api: randomBytes(24).toString('base64url'),
});

/** The development tokens, kept in `.data/` (what `task invoke` presents to an event route). */
export const devSidecarTokens = (): SidecarTokens => ({
  app: devSecret(DEV_APP_TOKEN_FILE),
  api: devSecret(DEV_DAPR_API_TOKEN_FILE),
});

/**
 * The environment that hands the tokens over. daprd and the function read the same names:
 * daprd sends `APP_API_TOKEN` to the app and requires `DAPR_API_TOKEN`; the function requires
 * the first and sends the second.
 */
export const tokenEnv = (t: SidecarTokens): Record<string, string> => ({ APP_API_TOKEN: t.app, DAPR_API_TOKEN: t.api });
