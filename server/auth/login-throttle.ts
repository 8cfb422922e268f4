import { RateLimiterMemory } from 'rate-limiter-flexible';

/**
 * OWASP ASVS 2.2.1: failed sign-ins are limited per account and per address. An
 * account takes 10 failures in 15 minutes, an address 50 (several people may share
 * one NAT). A success clears the account's count.
 */
export class LoginThrottle {
  private perAccount: RateLimiterMemory;
  private perAddress: RateLimiterMemory;

  constructor(limits = { account: 10, address: 50, windowSeconds: 900 }) {
    this.perAccount = new RateLimiterMemory({ points: limits.account, duration: limits.windowSeconds, blockDuration: limits.windowSeconds });
    this.perAddress = new RateLimiterMemory({ points: limits.address, duration: limits.windowSeconds, blockDuration: limits.windowSeconds });
  }

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  async retryAfter(username: string, address: string): Promise<number> {
    const [account, ip] = await Promise.all([this.perAccount.get(key(username)), this.perAddress.get(address)]);
    const blocked = [account, ip].filter((r) => r !== null && r.remainingPoints <= 0 && r.msBeforeNext > 0).map((r) => r!.msBeforeNext);
    return blocked.length > 0 ? Math.ceil(Math.max(...blocked) / 1000) : 0;
  }

  async recordFailure(username: string, address: string): Promise<void> {
    await Promise.all([this.perAccount.penalty(key(username), 1), this.perAddress.penalty(address, 1)]);
  }

  async recordSuccess(username: string): Promise<void> {
    await this.perAccount.delete(key(username));
  }
}

function key(username: string): string {
  return username.trim().toLowerCase();
}
