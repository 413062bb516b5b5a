import * as v from 'valibot';
import { FAILPOINTS, type Failpoint } from './failpoints.ts';

const int = (fallback: number, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(min),
      v.maxValue(max),
    ),
    String(fallback),
  );

const list = v.optional(
  v.pipe(
    v.string(),
    v.transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ),
  '',
);

const envSchema = v.object({
  PORT: int(8080, 0, 65535),
  HOST: v.optional(v.string(), '127.0.0.1'),
  DATA_DIR: v.optional(v.string(), '.data/pglite'),
  DATABASE_URL: v.optional(v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'))),
  DATABASE_SCHEMA: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')),
  ),
  DATABASE_POOL_MAX: int(10, 1, 100),
  MIGRATE: v.optional(v.picklist(['true', 'false'], 'must be "true" or "false"'), 'true'),
  REDIS_URL: v.optional(v.pipe(v.string(), v.regex(/^rediss?:\/\//, 'must be a redis:// URL'))),
  REDIS_PREFIX: v.optional(v.pipe(v.string(), v.maxLength(64)), 'daprps:'),
  KAFKA_BROKERS: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) =>
        s
          .split(',')
          .map((b) => b.trim())
          .filter(Boolean),
      ),
    ),
  ),
  KAFKA_PREFIX: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{0,64}$/, 'may contain only letters, digits and . _ -')),
    '',
  ),
  EVENT_TRANSPORT: v.optional(v.picklist(['memory', 'kafka', 'dapr'])),
  EVENT_MAX_ATTEMPTS: int(5, 1, 1000),
  OUTBOX_POLL_MS: int(100, 10, 3_600_000),
  PAYMENT_RECOVERY_AFTER_MS: int(30_000, 1_000, 86_400_000),
  PAYMENT_RECOVERY_INTERVAL_MS: int(5_000, 50, 3_600_000),
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: v.optional(
    v.pipe(v.string(), v.url('must be a URL, e.g. http://127.0.0.1:9411/api/v2/spans')),
  ),
  DAPR_HOST: v.optional(v.string(), '127.0.0.1'),
  DAPR_HTTP_PORT: int(3500, 1, 65535),
  DAPR_API_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
  APP_API_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
  EVENT_SIGNING_KEY: v.optional(v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters'))),
  EVENT_AUTH: v.optional(v.picklist(['token', 'off'], 'must be "token" or "off"'), 'token'),
  DAPR_PUBSUB: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a Dapr component name')),
    'shop-pubsub',
  ),
  BASKET_TTL_SECONDS: int(7 * 24 * 3600, 60, 365 * 24 * 3600),
  SEED_DEMO: v.optional(v.picklist(['true', 'false']), 'true'),
  ADMIN_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
  METRICS_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
  AUTH: v.optional(v.picklist(['jwt', 'off'], 'must be "jwt" or "off"'), 'jwt'),
  JWT_SECRET: v.optional(v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters'))),
  JWT_JWKS_URL: v.optional(v.pipe(v.string(), v.url('must be the URL of a JWKS'))),
  JWT_ISSUER: v.optional(v.string()),
  JWT_AUDIENCE: v.optional(v.string()),
  SHOP_CURRENCY: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')), 'USD'),
  CORS_ORIGINS: v.pipe(
    list,
    v.check(
      (origins) => origins.every((o) => /^https?:\/\/[^/\s*]+$/.test(o)),
      'must list origins like https://shop.example (no "*", no path)',
    ),
  ),
  RATE_LIMIT_PER_MINUTE: int(600, 1, 1_000_000),
  RATE_LIMIT_BURST: int(100, 1, 1_000_000),
  TRUST_PROXY_HOPS: int(0, 0, 10),
  CLIENT_IP_HEADER: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,64}$/i, 'must be a header name'))),
  BODY_LIMIT_BYTES: int(64 * 1024, 256, 10 * 1024 * 1024),
  UPSTREAM_TIMEOUT_MS: int(10_000, 100, 300_000),
  FUNCTION_URL_TEMPLATE: v.optional(v.pipe(v.string(), v.includes('{'))),
  LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  NODE_ENV: v.optional(v.string()),
  FAILPOINTS: v.pipe(
    list,
    v.check(
      (names) => names.every((n) => (FAILPOINTS as readonly string[]).includes(n)),
      `must name failpoints among ${FAILPOINTS.join(', ')}`,
    ),
    v.transform((names) => names as Failpoint[]),
  ),
});

/** The validated configuration; the only place that reads the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL for products and payments; unset: PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** Schema to use (created when missing); unset: the user's default search path. */
  databaseSchema: string | undefined;
  /** Most PostgreSQL connections this process's pool opens (LISTEN takes one more where used). */
  databasePoolMax: number;
  /** Apply migrations (and seed) at start; `false`: only check they were applied (by the migrate Job). */
  migrate: boolean;
  /** Redis for baskets; unset: in memory. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key of this shop. */
  redisPrefix: string;
  /** A basket untouched this long expires (Redis). */
  basketTtlSeconds: number;
  seedDemo: boolean;
  /** Kafka bootstrap brokers, e.g. `127.0.0.1:9092`. */
  kafkaBrokers: string[];
  /** Prefix of every topic and consumer group (several shops, or tests, on one Kafka). */
  kafkaPrefix: string;
  /**
   * How events travel: `kafka` (kafkajs; default when KAFKA_BROKERS is set), `dapr` (published
   * through the sidecar, delivered by its input bindings) or `memory` (in process).
   */
  eventTransport: 'memory' | 'kafka' | 'dapr';
  /** Failures of a handler on one event before it goes to the dead-letter topic (outages not counted). */
  eventMaxAttempts: number;
  /** How often the outbox relay looks for pending events. */
  outboxPollMs: number;
  /**
   * The payment recovery: how often it looks, and how long a payment or refund stays pending
   * before it is taken over (longer than a live charge takes: its process may still be at it).
   */
  recovery: { intervalMs: number; afterMs: number };
  /** Where spans go (Zipkin v2 JSON API); unset: traces only propagate and reach the logs. */
  zipkinEndpoint: string | undefined;
  /** The Dapr sidecar's HTTP API (`EVENT_TRANSPORT=dapr`), and the token it requires (`DAPR_API_TOKEN`). */
  dapr: { host: string; httpPort: number; pubsub: string; apiToken?: string };
  /**
   * Who may deliver events to this process's event routes: `token`, only callers presenting the
   * app API token (`APP_API_TOKEN`, which daprd sends as `dapr-api-token`); `off`, anyone
   * (explicitly, with a warning).
   */
  eventAuth: { mode: 'token' | 'off'; appApiToken?: string };
  /** The HMAC key events are signed and checked with; unset: the development key in `.data/`. */
  eventSigningKey: string | undefined;
  adminToken: string | undefined;
  /** The bearer token `GET /metrics` asks for; unset: it answers anyone. */
  metricsToken: string | undefined;
  /** How callers are authenticated: JWT (HS256 secret or JWKS), or `off` (explicitly, with a warning). */
  auth: { mode: 'jwt' | 'off'; jwtSecret?: string; jwksUrl?: string; issuer?: string; audience?: string };
  currency: string;
  /** Origins a browser may call from; exact scheme, host and port, no wildcard. */
  corsOrigins: string[];
  /** Requests per minute a client may make at the gateway, and the burst on top. */
  rateLimit: { perMinute: number; burst: number };
  /** How many proxies in front of the gateway append to X-Forwarded-For (0: the socket's peer is the client). */
  trustProxyHops: number;
  /** A header a trusted ingress sets to the client's address; it wins over X-Forwarded-For. */
  clientIpHeader: string | undefined;
  bodyLimitBytes: number;
  upstreamTimeoutMs: number;
  /** Where the gateway finds functions, e.g. `http://127.0.0.1:{port}`; unset: in process. */
  functionUrlTemplate: string | undefined;
  /** Per-function URL overrides from `FUNCTION_URL_<NAME>` (name upper-cased, `-` and `/` as `_`). */
  functionUrls: Record<string, string>;
  logLevel: string;
  /**
   * Whether the gateway offers the storefront's development sign-in (`POST /dev/sign-in`: become
   * any named user, no password). Only when this process signs with the development secret
   * (AUTH=jwt with neither JWT_SECRET nor JWT_JWKS_URL) and NODE_ENV is unset, `development` or
   * `test` (the image sets `production`): any other setting leaves it out.
   */
  devSignIn: boolean;
  /** Steps at which this process kills itself (tests of crashes; see failpoints.ts); empty in production. */
  failpoints: Failpoint[];
}

/**
 * Reads and validates the configuration from `env` over `defaults`; an empty variable counts as
 * unset. Throws one message listing every bad variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  defaults: Record<string, string> = {},
): Config {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = v.safeParse(envSchema, { ...defaults, ...set });
  if (!result.success) {
    const problems = result.issues.map((i) => `${i.path?.map((p) => String(p.key)).join('.')}: ${i.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = result.output;
  if (e.EVENT_TRANSPORT === 'kafka' && !e.KAFKA_BROKERS?.length)
    throw new Error('invalid configuration: EVENT_TRANSPORT=kafka needs KAFKA_BROKERS');
  // An allow-list, as for the dev sign-in: production, staging or a typo arms none.
  if (e.FAILPOINTS.length && !(e.NODE_ENV === undefined || e.NODE_ENV === 'development' || e.NODE_ENV === 'test'))
    throw new Error(
      `invalid configuration: FAILPOINTS kill the process for tests: refused with NODE_ENV=${e.NODE_ENV} (only unset, development or test)`,
    );
  const functionUrls = Object.fromEntries(
    Object.entries(set)
      .filter(([k]) => k.startsWith('FUNCTION_URL_') && k !== 'FUNCTION_URL_TEMPLATE')
      .map(([k, val]) => [k.slice('FUNCTION_URL_'.length), val as string]),
  );
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    databasePoolMax: e.DATABASE_POOL_MAX,
    migrate: e.MIGRATE === 'true',
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    basketTtlSeconds: e.BASKET_TTL_SECONDS,
    seedDemo: e.SEED_DEMO === 'true',
    kafkaBrokers: e.KAFKA_BROKERS ?? [],
    kafkaPrefix: e.KAFKA_PREFIX,
    eventTransport: e.EVENT_TRANSPORT ?? (e.KAFKA_BROKERS?.length ? 'kafka' : 'memory'),
    eventMaxAttempts: e.EVENT_MAX_ATTEMPTS,
    outboxPollMs: e.OUTBOX_POLL_MS,
    recovery: { intervalMs: e.PAYMENT_RECOVERY_INTERVAL_MS, afterMs: e.PAYMENT_RECOVERY_AFTER_MS },
    zipkinEndpoint: e.OTEL_EXPORTER_ZIPKIN_ENDPOINT,
    dapr: { host: e.DAPR_HOST, httpPort: e.DAPR_HTTP_PORT, pubsub: e.DAPR_PUBSUB, apiToken: e.DAPR_API_TOKEN },
    eventAuth: { mode: e.EVENT_AUTH, appApiToken: e.APP_API_TOKEN },
    eventSigningKey: e.EVENT_SIGNING_KEY,
    adminToken: e.ADMIN_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    auth: {
      mode: e.AUTH,
      jwtSecret: e.JWT_SECRET,
      jwksUrl: e.JWT_JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
    },
    currency: e.SHOP_CURRENCY,
    corsOrigins: e.CORS_ORIGINS,
    rateLimit: { perMinute: e.RATE_LIMIT_PER_MINUTE, burst: e.RATE_LIMIT_BURST },
    trustProxyHops: e.TRUST_PROXY_HOPS,
    clientIpHeader: e.CLIENT_IP_HEADER,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    functionUrlTemplate: e.FUNCTION_URL_TEMPLATE,
    functionUrls,
    logLevel: e.LOG_LEVEL,
    // An allow-list: an environment not named here (production, staging, a typo) has no dev sign-in.
    devSignIn:
      e.AUTH === 'jwt' &&
      !e.JWT_SECRET &&
      !e.JWT_JWKS_URL &&
      (e.NODE_ENV === undefined || e.NODE_ENV === 'development' || e.NODE_ENV === 'test'),
    failpoints: e.FAILPOINTS,
  };
}
