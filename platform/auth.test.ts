import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { SignJWT, type JWTPayload } from 'jose';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { authenticator, signToken, warnIfAuthOff } from './auth.ts';
import type { ShopError } from './errors.ts';

type Alg = 'RS256' | 'PS256' | 'ES256';

/** A key pair: the public half as the JWK an identity provider publishes, the private half to sign with. */
function keyPair(kid: string, alg: Alg) {
  const { publicKey, privateKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, alg, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

/** A JWT signed with `key`, its header naming the key's kid and alg unless `header` says otherwise. */
const signed = (claims: JWTPayload, key: ReturnType<typeof keyPair>, header: { kid?: string; alg?: string } = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);

/** How a call ended: "accepted", or the status and code it was refused with. */
const outcome = (call: Promise<unknown>) =>
  call.then(
    () => 'accepted',
    (e: ShopError) => `${e.status} ${e.code}`,
  );

/** How many times each value occurs. */
const tally = (values: string[]) => {
  const n: Record<string, number> = {};
  for (const v of values) n[v] = (n[v] ?? 0) + 1;
  return n;
};

describe('a token that passed, checked again', () => {
  const secret = randomBytes(32).toString('hex');
  afterEach(() => void vi.useRealTimers());

  it('is still refused once it expires, with the expiry named', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const auth = authenticator({ mode: 'jwt', jwtSecret: secret });
    // Expiring sooner than a check is remembered for (60 s).
    const token = `Bearer ${await signToken(secret, 'alice', { expiresInSeconds: 30 })}`;
    expect(await auth(token)).toEqual({ userId: 'alice', admin: false });
    vi.advanceTimersByTime(20_000);
    expect(await auth(token)).toEqual({ userId: 'alice', admin: false });
    vi.advanceTimersByTime(11_000);
    await expect(auth(token)).rejects.toMatchObject({ code: 'unauthenticated', message: /it has expired/ });
  });

  it('is checked again after 60 s, however long it is valid for', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const verify = vi.spyOn(crypto.subtle, 'verify');
    onTestFinished(() => verify.mockRestore());
    const auth = authenticator({ mode: 'jwt', jwtSecret: secret });
    const token = `Bearer ${await signToken(secret, 'alice', { expiresInSeconds: 3600 })}`;
    await auth(token);
    vi.advanceTimersByTime(59_000);
    await auth(token);
    expect(verify).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000);
    expect(await auth(token)).toEqual({ userId: 'alice', admin: false });
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('is checked afresh when changed in any way: claims or signature', async () => {
    const auth = authenticator({ mode: 'jwt', jwtSecret: secret });
    const token = await signToken(secret, 'alice');
    expect(await auth(`Bearer ${token}`)).toEqual({ userId: 'alice', admin: false });
    const [header, , signature] = token.split('.');
    const admin = Buffer.from(JSON.stringify({ sub: 'alice', roles: ['admin'], exp: 4_000_000_000 })).toString(
      'base64url',
    );
    const flipped = signature!.slice(0, -2) + (signature!.endsWith('AA') ? 'BB' : 'AA');
    for (const forged of [`${header}.${admin}.${signature}`, `${token.split('.').slice(0, 2).join('.')}.${flipped}`])
      expect(await outcome(auth(`Bearer ${forged}`))).toBe('401 unauthenticated');
    expect(await outcome(auth(`Bearer ${await signToken(randomBytes(32).toString('hex'), 'alice')}`))).toBe(
      '401 unauthenticated',
    );
  });
});

describe('JWT from an identity provider (JWKS)', () => {
  const provider = keyPair('k1', 'RS256');
  const stranger = keyPair('k1', 'RS256');
  const strangerEc = keyPair('ec-1', 'ES256');
  const exp = () => Math.floor(Date.now() / 1000) + 600;
  const opened: (() => Promise<void>)[] = [];
  afterEach(async () => void (await Promise.all(opened.splice(0).map((close) => close()))));

  /** A local identity provider publishing `keys`, counting the fetches; `answer` makes it fail or hang. */
  async function identityProvider(keys: object[]) {
    const idp = {
      keys,
      answer: 'keys' as 'keys' | 'error' | 'nothing',
      fetches: 0,
      url: '',
      close: () => Promise.resolve(),
    };
    const server = createServer((_req, res) => {
      idp.fetches++;
      if (idp.answer === 'nothing') return;
      res.statusCode = idp.answer === 'error' ? 500 : 200;
      res.setHeader('content-type', 'application/json');
      res.end(idp.answer === 'error' ? '{"error":"down"}' : JSON.stringify({ keys: idp.keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    idp.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`;
    idp.close = () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    };
    opened.push(idp.close);
    return idp;
  }

  it('accepts RS256, ES256 and PS256 tokens signed with the provider keys, checking issuer, audience and expiry, and keeps the keys', async () => {
    const ec = keyPair('k-ec', 'ES256');
    const ps = keyPair('k-ps', 'PS256');
    const idp = await identityProvider([provider.publicJwk, ec.publicJwk, ps.publicJwk]);
    const auth = authenticator({ mode: 'jwt', jwksUrl: idp.url, issuer: 'https://id.example', audience: 'daprps' });
    const claims = { iss: 'https://id.example', aud: 'daprps', exp: exp() };
    expect(await auth(`Bearer ${await signed({ ...claims, sub: 'alice' }, provider)}`)).toEqual({
      userId: 'alice',
      admin: false,
    });
    expect(await auth(`Bearer ${await signed({ ...claims, sub: 'boss', roles: ['admin'] }, provider)}`)).toEqual({
      userId: 'boss',
      admin: true,
    });
    expect(await auth(`Bearer ${await signed({ ...claims, sub: 'erin' }, ec)}`)).toEqual({
      userId: 'erin',
      admin: false,
    });
    expect(await auth(`Bearer ${await signed({ ...claims, sub: 'pat' }, ps)}`)).toEqual({
      userId: 'pat',
      admin: false,
    });
    expect(idp.fetches).toBe(1);
    await expect(auth(`Bearer ${await signed({ ...claims, sub: 'alice' }, stranger)}`)).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'the bearer token is not valid: its signature or claims do not check out',
    });
    await expect(
      auth(`Bearer ${await signed({ ...claims, exp: exp() - 1200, sub: 'alice' }, provider)}`),
    ).rejects.toMatchObject({ code: 'unauthenticated', message: 'the bearer token is not valid: it has expired' });
    await expect(
      auth(`Bearer ${await signed({ ...claims, iss: 'https://evil.example', sub: 'alice' }, provider)}`),
    ).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(
      auth(`Bearer ${await signed({ ...claims, aud: 'other', sub: 'alice' }, provider)}`),
    ).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(auth(`Bearer ${await signed({ ...claims }, provider)}`)).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'the bearer token names no user (sub)',
    });
    // An HS256 token made with the public key as secret (algorithm confusion) is refused.
    const confused = await new SignJWT({ ...claims, sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode(JSON.stringify(provider.publicJwk)));
    await expect(auth(`Bearer ${confused}`)).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('refuses 1,000 forged or garbage tokens, at once and one after another, fetching the keys once', async () => {
    const idp = await identityProvider([provider.publicJwk]);
    const auth = authenticator({ mode: 'jwt', jwksUrl: idp.url });
    const claims = { sub: 'alice', roles: ['admin'], exp: exp() };
    const b64 = (x: unknown) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
    const noise = (bytes: number) => randomBytes(bytes).toString('base64url');
    const forgeries: ((i: number) => string | Promise<string>)[] = [
      (i) => noise(8 + (i % 300)),
      () => `${noise(20)}.${noise(40)}.${noise(64)}`,
      () => `${b64({ alg: 'none', kid: 'k1' })}.${b64(claims)}.`,
      () => `${b64({ alg: 'RS256', kid: 'k1' })}.${b64('not json')}.${noise(256)}`,
      () => `${b64('not a header')}.${b64(claims)}.${noise(256)}`,
      () => `${b64({ alg: 'RS256', kid: 'k1' })}.${b64(claims)}.${noise(256)}`,
      () => signed(claims, stranger),
      (i) => signed(claims, stranger, { kid: `unknown-${i}` }),
      () => signed(claims, stranger, { kid: undefined }),
      () => signed(claims, stranger, { alg: 'PS256' }),
      (i) => signed(claims, strangerEc, { kid: `unknown-${i}` }),
      () =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
          .sign(new TextEncoder().encode(JSON.stringify(provider.publicJwk))),
    ];
    const tokens = await Promise.all(Array.from({ length: 1000 }, (_, i) => forgeries[i % forgeries.length]!(i)));

    expect(tally(await Promise.all(tokens.map((t) => outcome(auth(`Bearer ${t}`)))))).toEqual({
      '401 unauthenticated': 1000,
    });
    const oneByOne: string[] = [];
    for (const t of tokens) oneByOne.push(await outcome(auth(`Bearer ${t}`)));
    expect(tally(oneByOne)).toEqual({ '401 unauthenticated': 1000 });
    expect(idp.fetches).toBe(1);
    // The provider's own tokens still pass, on the keys fetched once.
    expect(await auth(`Bearer ${await signed({ sub: 'alice', exp: exp() }, provider)}`)).toEqual({
      userId: 'alice',
      admin: false,
    });
    expect(idp.fetches).toBe(1);
  });

  it('takes up a rotated key once the cooldown has passed, still accepting the old key while it is published', async () => {
    const next = keyPair('k2', 'RS256');
    const idp = await identityProvider([provider.publicJwk]);
    const [old, rotated] = await Promise.all([
      signed({ sub: 'alice', exp: exp() }, provider),
      signed({ sub: 'bob', exp: exp() }, next),
    ]);
    // The cooldown's clock (Date) stands still until the test moves it.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    onTestFinished(() => void vi.useRealTimers());
    const auth = authenticator({ mode: 'jwt', jwksUrl: idp.url, jwksCooldownMs: 300 });
    expect(await auth(`Bearer ${old}`)).toEqual({ userId: 'alice', admin: false });
    idp.keys = [provider.publicJwk, next.publicJwk];
    // Within the cooldown the new key is unknown, and no fetch is made for it.
    vi.advanceTimersByTime(299);
    expect(await outcome(auth(`Bearer ${rotated}`))).toBe('401 unauthenticated');
    expect(idp.fetches).toBe(1);
    vi.advanceTimersByTime(2);
    expect(await auth(`Bearer ${rotated}`)).toEqual({ userId: 'bob', admin: false });
    expect(await auth(`Bearer ${old}`)).toEqual({ userId: 'alice', admin: false });
    expect(idp.fetches).toBe(2);
  });

  it('answers unavailable (503) while nobody listens at the JWKS URL', async () => {
    const idp = await identityProvider([provider.publicJwk]);
    await idp.close();
    const auth = authenticator({ mode: 'jwt', jwksUrl: idp.url });
    expect(await outcome(auth(`Bearer ${await signed({ sub: 'alice', exp: exp() }, provider)}`))).toBe(
      '503 unavailable',
    );
  });

  it('answers unavailable (503) while the provider answers an error, and accepts the token once it answers again', async () => {
    const idp = await identityProvider([provider.publicJwk]);
    idp.answer = 'error';
    const auth = authenticator({ mode: 'jwt', jwksUrl: idp.url });
    const token = `Bearer ${await signed({ sub: 'alice', exp: exp() }, provider)}`;
    expect(await outcome(auth(token))).toBe('503 unavailable');
    // A malformed token needs no keys: it is still judged.
    expect(await outcome(auth('Bearer not.a.jwt'))).toBe('401 unauthenticated');
    idp.answer = 'keys';
    expect(await outcome(auth(token))).toBe('accepted');
    expect(idp.fetches).toBe(2);
  });

  it('answers unavailable (503) when the provider does not answer in time', async () => {
    const idp = await identityProvider([provider.publicJwk]);
    idp.answer = 'nothing';
    const auth = authenticator({ mode: 'jwt', jwksUrl: idp.url, jwksTimeoutMs: 100 });
    expect(await outcome(auth(`Bearer ${await signed({ sub: 'alice', exp: exp() }, provider)}`))).toBe(
      '503 unavailable',
    );
    expect(idp.fetches).toBe(1);
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
