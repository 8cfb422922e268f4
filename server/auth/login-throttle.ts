import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface ThrottleLimits {
  /** Attempts one account may have from one address in the window. */
  accountPerSource: number;
  /** Attempts one address may have in the window, whatever the accounts (several people may share one NAT). */
  source: number;
  windowSeconds: number;
}

/** OWASP ASVS 2.2.1: 10 failed sign-ins per account and address in 15 minutes, 50 per address. */
export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = { accountPerSource: 10, source: 50, windowSeconds: 900 };

/** A sign-in attempt that may go on to the password check; a success gives its points back. */
export type SignInAttempt = { allowed: true; succeeded(): Promise<void> } | { allowed: false; retryAfterSeconds: number };

/**
 * Limits sign-in attempts. Each attempt takes its points before the password is checked, in one
 * step, so guesses sent all at once cannot all slip past a check made before any was counted.
 * Accounts are counted per address: a guesser elsewhere uses up only their own address's
 * budget and cannot lock the real user out; one address guessing many accounts meets the
 * per-address limit instead.
 */
export class LoginThrottle {
  private readonly perAccountAndSource: RateLimiterMemory;
  private readonly perSource: RateLimiterMemory;

  constructor(limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS) {
    const window = { duration: limits.windowSeconds, blockDuration: limits.windowSeconds };
    this.perAccountAndSource = new RateLimiterMemory({ points: limits.accountPerSource, ...window });
    this.perSource = new RateLimiterMemory({ points: limits.source, ...window });
  }

  async begin(username: string, address: string): Promise<SignInAttempt> {
    const pairKey = accountAtSource(username, address);
    const taken = await Promise.allSettled([this.perAccountAndSource.consume(pairKey), this.perSource.consume(address)]);
    const refused = taken.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    if (refused.length > 0) {
      const waits = refused.map((reason) => (reason instanceof RateLimiterRes ? reason.msBeforeNext : DEFAULT_THROTTLE_LIMITS.windowSeconds * 1000));
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
    }
    return {
      allowed: true,
      succeeded: async () => {
        // The account's failures from here are forgiven; the address keeps only its failures.
        await Promise.all([this.perAccountAndSource.delete(pairKey), this.perSource.reward(address, 1)]);
      },
    };
  }
}

function accountAtSource(username: string, address: string): string {
  return `${username.trim().toLowerCase()}@${address}`;
}
