import type { JWTVerifyGetKey } from 'jose';
import { ShopError } from '../errors.ts';
import { loadOnce } from '../load-once.ts';

/** What a JWKS verifier needs: the provider's keys, the claims to require, and its timings. */
export interface JwksOptions {
  url: string;
  issuer?: string;
  audience?: string;
  /** Least time between two fetches for tokens naming a key the set lacks (default 30 s). */
  cooldownMs?: number;
  /** How long a fetch may take before the request is answered `unavailable` (default 5 s). */
  timeoutMs?: number;
}

/**
 * Checks tokens against the keys of an identity provider (RS256, ES256, PS256), with jose, loaded
 * on the first token (a process configured with a shared secret never loads it). jose keeps the
 * keys 10 minutes; a token naming a key not in them refetches them at most once per cooldown, and
 * concurrent fetches are one: a flood of forged tokens costs the provider at most one request per
 * cooldown. Keys that cannot be fetched are `unavailable` (503): the token was not judged.
 */
export function jwksVerifier(o: JwksOptions): (token: string) => Promise<Record<string, unknown>> {
  const verify = loadOnce(async () => {
    const { createRemoteJWKSet, errors, jwtVerify } = await import('jose');
    const keys = createRemoteJWKSet(new URL(o.url), {
      cacheMaxAge: 600_000,
      cooldownDuration: o.cooldownMs ?? 30_000,
      timeoutDuration: o.timeoutMs ?? 5_000,
    });
    const keyOf: JWTVerifyGetKey = async (header, token) => {
      try {
        return await keys(header, token);
      } catch (e) {
        // No key (or several) for the token: the token is judged. Anything else: the keys could not be had.
        if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) throw e;
        throw new ShopError(
          'unavailable',
          'the identity provider cannot be reached to check the bearer token',
          undefined,
          { cause: e },
        );
      }
    };
    const options = { algorithms: ['RS256', 'ES256', 'PS256'], issuer: o.issuer, audience: o.audience };
    return async (token: string) => (await jwtVerify(token, keyOf, options)).payload;
  });
  return async (token) => (await verify())(token);
}
