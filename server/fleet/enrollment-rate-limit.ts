import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from '@/lib/http-error';

/**
 * Enrollment is public (the token in the body is the credential), and every refused attempt is
 * recorded in the audit chain: without a limit one address could fill the chain and the token
 * table's lookups. A whole fleet enrolling behind one NAT stays well inside the default; agents
 * wait as the answer's Retry-After says and try again.
 */
export class EnrollmentRateLimit {
  private readonly limiter: RateLimiterMemory;

  constructor(perMinute: number) {
    this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  }

  /** Takes one attempt for `source`, or throws a 429 with Retry-After once its minute is used up. */
  async take(source: string): Promise<void> {
    try {
      await this.limiter.consume(source);
    } catch (refusal) {
      const waitMs = refusal instanceof RateLimiterRes ? refusal.msBeforeNext : 60_000;
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new HttpError(429, 'rate_limited', `too many enrollment attempts from this address; retry in ${seconds} s`, { 'retry-after': String(seconds) });
    }
  }
}
