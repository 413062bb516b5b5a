import { webcrypto } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import { ShopError } from './errors.ts';
import { devSecret } from './security/dev-secret.ts';
import { jwksVerifier } from './security/jwks.ts';
import { bearerToken } from './security/bearer-token.ts';
import { sameSecret } from './security/same-secret.ts';

/** Who calls: a user (JWT `sub`), possibly an admin (`roles` holds "admin", or the static ADMIN_TOKEN). */
export interface Caller {
  userId?: string;
  admin: boolean;
  /** AUTH=off: nobody is asked who they are; user-scoped calls are allowed as before auth. */
  unchecked?: boolean;
}

/** How callers are authenticated. */
export interface AuthConfig {
  mode: 'jwt' | 'off';
  /** HS256 secret (development, or a shared secret). */
  jwtSecret?: string;
  /** JWKS URL of the identity provider (production, RS256/ES256/PS256). */
  jwksUrl?: string;
  /** Least time between two fetches of the JWKS for tokens naming a key it lacks (default 30 s). */
  jwksCooldownMs?: number;
  /** How long a JWKS fetch may take before the request is answered `unavailable` (default 5 s). */
  jwksTimeoutMs?: number;
  issuer?: string;
  audience?: string;
  /** Static bearer token that is an admin (development fallback). */
  adminToken?: string;
}

type Claims = Record<string, unknown>;

/** Checks HS256 tokens against a shared secret, imported once rather than for every token. */
function secretVerifier(config: AuthConfig): (token: string) => Promise<Claims> {
  let hmacKey: Promise<webcrypto.CryptoKey> | undefined;
  const secretKey = () =>
    (hmacKey ??= webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(config.jwtSecret!),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    ));
  const options = {
    alg: 'HS256' as const,
    ...(config.issuer ? { iss: config.issuer } : {}),
    ...(config.audience ? { aud: config.audience } : {}),
  };
  return async (token) => verify(token, await secretKey(), options);
}

/** Most tokens whose check is remembered at once; past it, the longest remembered is forgotten. */
const REMEMBERED_TOKENS = 10_000;
/**
 * Longest a token's check is remembered (never past its expiry): a token is never accepted longer
 * than this after the verifier last accepted it, so a key withdrawn from the JWKS counts at most
 * this long past the verifier's own key cache.
 */
const REMEMBER_MS = 60_000;

/**
 * Remembers the claims of tokens that passed `check`, until the token expires (its `exp`) or for
 * {@link REMEMBER_MS}, whichever comes first: a client sends the same token with every request,
 * and checking its signature again each time (an HMAC or RSA verification in the crypto thread
 * pool, JSON and base64 decoding) was the largest cost of an authenticated call. Keyed by the
 * whole token, so any change to it (claims or signature) is checked afresh; refused tokens are
 * not remembered.
 */
function remembering(check: (token: string) => Promise<Claims>): (token: string) => Promise<Claims> {
  const passed = new Map<string, { claims: Claims; untilMs: number }>();
  return async (token) => {
    const now = Date.now();
    const known = passed.get(token);
    if (known && now < known.untilMs) return known.claims;
    if (known) passed.delete(token);
    const claims = await check(token);
    // Expired from `exp` on, as the check itself says (a token is expired once now ≥ exp, in seconds).
    const expiresMs = typeof claims.exp === 'number' ? claims.exp * 1000 : Number.POSITIVE_INFINITY;
    if (passed.size >= REMEMBERED_TOKENS) passed.delete(passed.keys().next().value!);
    passed.set(token, { claims, untilMs: Math.min(expiresMs, Date.now() + REMEMBER_MS) });
    return claims;
  };
}

/**
 * Builds the authenticator of a process: `Authorization: Bearer <token>` → the caller. The static
 * ADMIN_TOKEN is an admin; otherwise the token must be a JWT signed with JWT_SECRET (HS256) or a
 * key of JWT_JWKS_URL, not expired, from JWT_ISSUER for JWT_AUDIENCE when set. No token: an
 * anonymous caller (public functions only). A bad token: 401. JWKS unreachable: 503. A token that
 * passed is not checked again for a while ({@link remembering}).
 */
export function authenticator(config: AuthConfig): (authorization: string | undefined) => Promise<Caller> {
  const check = remembering(
    config.jwksUrl
      ? jwksVerifier({
          url: config.jwksUrl,
          issuer: config.issuer,
          audience: config.audience,
          cooldownMs: config.jwksCooldownMs,
          timeoutMs: config.jwksTimeoutMs,
        })
      : secretVerifier(config),
  );
  return async (authorization) => {
    const token = bearerToken(authorization);
    if (config.adminToken && token && sameSecret(token, config.adminToken)) return { admin: true };
    if (config.mode === 'off') return { admin: false, unchecked: true };
    if (!token) return { admin: false };
    let claims: Claims;
    try {
      claims = await check(token);
    } catch (e) {
      if (e instanceof ShopError) throw e;
      const expired = (e as { code?: string }).code === 'ERR_JWT_EXPIRED' || (e as Error).name === 'JwtTokenExpired';
      throw new ShopError(
        'unauthenticated',
        `the bearer token is not valid: ${expired ? 'it has expired' : 'its signature or claims do not check out'}`,
        undefined,
        { cause: e },
      );
    }
    if (typeof claims.sub !== 'string' || !claims.sub)
      throw new ShopError('unauthenticated', 'the bearer token names no user (sub)');
    const roles = Array.isArray(claims.roles) ? claims.roles : [];
    return { userId: claims.sub, admin: roles.includes('admin') };
  };
}

/**
 * Throws unless the caller is a user who may act for `userId` (when given): that user, or an
 * admin. Nobody is checked with AUTH=off.
 */
export function requireUser(caller: Caller, userId?: string): void {
  if (caller.unchecked || caller.admin) return;
  if (!caller.userId)
    throw new ShopError(
      'unauthenticated',
      'this operation needs "Authorization: Bearer <JWT>" (npm run -s token -- <user> makes a development one)',
    );
  if (userId !== undefined && caller.userId !== userId)
    throw new ShopError('forbidden', `user ${caller.userId} may not act for user ${userId}`);
}

/** Throws unless the caller is an admin. */
export function requireAdmin(caller: Caller, adminConfigured: boolean): void {
  if (caller.admin) return;
  if (!adminConfigured && caller.unchecked)
    throw new ShopError(
      'forbidden',
      'product writes are disabled: set ADMIN_TOKEN and send "Authorization: Bearer <ADMIN_TOKEN>" to enable them',
    );
  throw new ShopError(
    caller.userId ? 'forbidden' : 'unauthenticated',
    'this operation needs an admin: a JWT with role "admin", or the ADMIN_TOKEN',
  );
}

/** Where a development HS256 secret is kept, shared by every process started from the repository. */
const DEV_SECRET_FILE = '.data/dev-jwt-secret';

/** The development secret: read from {@link DEV_SECRET_FILE}, created (random) on first use. */
export const devJwtSecret = (file = DEV_SECRET_FILE): string => devSecret(file);

/** A signed HS256 token for a user (development and tests). */
export const signToken = (secret: string, userId: string, opts: { admin?: boolean; expiresInSeconds?: number } = {}) =>
  sign(
    {
      sub: userId,
      roles: opts.admin ? ['admin'] : [],
      exp: Math.floor(Date.now() / 1000) + (opts.expiresInSeconds ?? 3600),
    },
    secret,
    'HS256',
  );

/**
 * The authenticator of a process from its configuration: with JWT and neither JWT_SECRET nor
 * JWT_JWKS_URL, the development secret of {@link DEV_SECRET_FILE} (what `npm run -s token` signs with).
 */
export function authenticatorFor(auth: Omit<AuthConfig, 'adminToken'>, adminToken: string | undefined) {
  const jwtSecret = auth.mode === 'jwt' && !auth.jwtSecret && !auth.jwksUrl ? devJwtSecret() : auth.jwtSecret;
  return authenticator({ ...auth, jwtSecret, adminToken });
}

/** Says loudly, at start, that nobody is authenticated (AUTH=off). */
export function warnIfAuthOff(auth: { mode: string }, log: { warn: (o: object, msg: string) => void }): void {
  if (auth.mode === 'off')
    log.warn(
      { auth: 'off' },
      '!!! AUTH=off: callers are not authenticated; anyone can read and change any basket and payment. Never in production.',
    );
}
