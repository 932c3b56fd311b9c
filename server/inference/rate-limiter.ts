import "server-only";

const MAX_TRACKED_USERS = 10_000;

/**
 * Token bucket per user: a burst of up to `perMinute` requests, refilled continuously. In memory
 * and per process, which is enough to stop one user's runaway script from starving the others.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns 0 when the request may go, else the seconds to wait. */
  take(userId: string): number {
    if (this.perMinute === 0) return 0;
    const now = this.now();
    const refillPerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(userId) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    this.buckets.delete(userId);
    this.buckets.set(userId, bucket);
    if (this.buckets.size > MAX_TRACKED_USERS) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
    bucket.tokens -= 1;
    return 0;
  }
}
