/** A token bucket's size: `burst` requests at once, refilled at `perMinute`. */
export interface BucketLimits {
  perMinute: number;
  burst: number;
}

/** The answer to one request: let through, or refused until a token is back in `retryAfterMs`. */
type Take = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Where the token buckets live (port): this process (memory) or shared by every replica (Redis). */
export interface BucketStore {
  /** Takes one token from `client`'s bucket, refilled first for the time since its last request. */
  take(client: string): Promise<Take>;
}

/** How long an empty bucket takes to fill up again: after that, a forgotten bucket is the same as a full one. */
export const refillMs = (limits: BucketLimits) => Math.ceil((limits.burst * 60_000) / limits.perMinute);
