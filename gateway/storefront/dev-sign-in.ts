import * as v from 'valibot';
import type { Context, Hono } from 'hono';
import { devJwtSecret, signToken } from '../../platform/auth.ts';
import type { Config } from '../../platform/config.ts';
import { invalid, ShopError } from '../../platform/errors.ts';
import type { RequestVars } from '../../platform/http/request-context.ts';
import { idSchema } from '../../platform/validation.ts';
import { peerAddress } from '../peer-address.ts';

/** A host naming this machine's loopback: localhost, 127.x.x.x or [::1], with any port. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;
/** A loopback socket address: 127.x.x.x (also as IPv4-mapped IPv6) or ::1. */
const LOOPBACK_PEER = /^(?:(?:::ffff:)?127(?:\.\d{1,3}){3}|::1)$/i;

/**
 * Refuses a request not both addressed to loopback and sent from it. The Host: a page of another
 * site whose name an attacker points at 127.0.0.1 (DNS rebinding) sends its own name as Host, and
 * so does a browser reaching a gateway started with HOST=0.0.0.0 from another machine. The
 * socket's peer: a client other than a browser sets any Host it likes, so a gateway listening
 * beyond loopback would otherwise sign in anyone who says `Host: localhost`. No header
 * (X-Forwarded-For and the like) counts: any client can send them. `app.request()` has no socket:
 * the Host alone decides there.
 */
function onLoopbackOnly(c: Context): void {
  // The request's URL: the Host header (or HTTP/2's :authority) the server built it from.
  const host = new URL(c.req.url).host;
  const peer = peerAddress(c);
  if (!LOOPBACK_HOST.test(host) || (peer !== undefined && !LOOPBACK_PEER.test(peer)))
    throw new ShopError(
      'forbidden',
      'the development sign-in answers on localhost only; elsewhere, sign in with a token (npm run -s token -- <user>)',
    );
}

/** How long a development sign-in lasts. */
const DEV_TOKEN_SECONDS = 8 * 3600;

/**
 * `POST /dev/sign-in` `{"user":"alice"}` → `{"user_id","token","expires_at"}`: a JWT for that user
 * (never an admin), signed with the development secret this process verifies tokens with, so the
 * storefront needs no token pasted by hand. `GET /dev/sign-in` says it is there. Mounted only when
 * `config.devSignIn` (platform/config.ts): never with JWT_SECRET, JWT_JWKS_URL, AUTH=off or
 * NODE_ENV=production; elsewhere both answer 404 like any unknown path. Even then, only to a
 * request addressed to loopback and sent from it (403 otherwise).
 */
export function mountDevSignIn(app: Hono<{ Variables: RequestVars }>, config: Config): void {
  if (!config.devSignIn) return;
  app.get('/dev/sign-in', (c) => {
    onLoopbackOnly(c);
    return c.json({ dev_sign_in: true });
  });
  app.post('/dev/sign-in', async (c) => {
    onLoopbackOnly(c);
    // JSON only: a form on another site cannot post it without a CORS preflight.
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? ''))
      throw new ShopError('unsupported_media_type', 'send the body as application/json');
    const body = (await c.req.json().catch(() => {
      throw new ShopError('invalid_argument', 'the body is not valid JSON');
    })) as unknown;
    const parsed = v.safeParse(v.object({ user: idSchema }), body);
    if (!parsed.success) throw invalid('user', parsed.issues[0].message);
    const user = parsed.output.user;
    const token = await signToken(devJwtSecret(), user, { expiresInSeconds: DEV_TOKEN_SECONDS });
    const expiresAt = new Date(Date.now() + DEV_TOKEN_SECONDS * 1000).toISOString();
    return c.json({ user_id: user, token, expires_at: expiresAt }, 200, { 'cache-control': 'no-store' });
  });
}
