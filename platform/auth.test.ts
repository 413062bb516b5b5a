import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { sign } from 'hono/jwt';
import { afterAll, describe, expect, it } from 'vitest';
import { authenticator, warnIfAuthOff } from './auth.ts';

/** An RSA key pair as JWKs, the way an identity provider publishes the public half. */
function rsaKeys(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256' },
  };
}

describe('JWT from an identity provider (JWKS)', () => {
  const provider = rsaKeys('k1');
  const stranger = rsaKeys('k1');
  let fetches = 0;
  let server: Server;
  const started = new Promise<string>((resolve) => {
    server = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [provider.publicJwk] }));
    }).listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`));
  });
  afterAll(() => new Promise((r) => server.close(r)));
  const exp = () => Math.floor(Date.now() / 1000) + 600;

  it('accepts RS256 tokens signed with the provider key, checking issuer and audience, and keeps the keys', async () => {
    const auth = authenticator({ mode: 'jwt', jwksUrl: await started, issuer: 'https://id.example', audience: 'daprps' });
    const claims = { iss: 'https://id.example', aud: 'daprps', exp: exp() };
    expect(await auth(`Bearer ${await sign({ ...claims, sub: 'alice' }, provider.privateJwk as never, 'RS256')}`)).toEqual({ userId: 'alice', admin: false });
    expect(await auth(`Bearer ${await sign({ ...claims, sub: 'boss', roles: ['admin'] }, provider.privateJwk as never, 'RS256')}`)).toEqual({ userId: 'boss', admin: true });
    expect(fetches).toBe(1);
    await expect(auth(`Bearer ${await sign({ ...claims, sub: 'alice' }, stranger.privateJwk as never, 'RS256')}`)).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(auth(`Bearer ${await sign({ ...claims, iss: 'https://evil.example', sub: 'alice' }, provider.privateJwk as never, 'RS256')}`)).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(auth(`Bearer ${await sign({ ...claims, aud: 'other', sub: 'alice' }, provider.privateJwk as never, 'RS256')}`)).rejects.toMatchObject({ code: 'unauthenticated' });
    // An HS256 token made with the public key as secret (algorithm confusion) is refused.
    await expect(auth(`Bearer ${await sign({ ...claims, sub: 'alice' }, JSON.stringify(provider.publicJwk), 'HS256')}`)).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('says loudly at start that AUTH=off checks nobody, and nothing otherwise', () => {
    const said: string[] = [];
    const log = { warn: (_o: object, msg: string) => void said.push(msg) };
    warnIfAuthOff({ mode: 'jwt' }, log);
    expect(said).toEqual([]);
    warnIfAuthOff({ mode: 'off' }, log);
    expect(said[0]).toMatch(/^!!! AUTH=off: callers are not authenticated/);
  });
});
