/**
 * Request rate limits (issue 4 item 4), per gateway process (@nestjs/throttler's in-memory storage):
 * - `loginLimit` requests to POST /api/v1/auth/token per client IP and window (VERIHUB_RATE_LIMIT_LOGIN, default 10);
 * - `apiLimit` authenticated requests per user and window, all routes together (VERIHUB_RATE_LIMIT_API, default 600);
 * - `windowSeconds` (VERIHUB_RATE_LIMIT_WINDOW_SECONDS, default 60).
 * 0 turns a limit off. Past a limit: 429 problem `urn:verihub:problem:rate-limited` with Retry-After.
 */
export interface RateLimitOptions {
  loginLimit: number;
  apiLimit: number;
  windowSeconds: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = { loginLimit: 10, apiLimit: 600, windowSeconds: 60 };

export function checkRateLimits(limits: RateLimitOptions): void {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`gateway: rateLimits.${name} must be a whole number ≥ 0`);
  }
  if (limits.windowSeconds === 0) throw new Error('gateway: rateLimits.windowSeconds must be at least 1');
}
