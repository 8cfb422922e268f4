import { describe, expect, it } from 'vitest';
import { sleep } from '../test-support';
import { LoginThrottle } from './login-throttle';

async function fail(throttle: LoginThrottle, times: number, username: string | ((i: number) => string), address: string): Promise<void> {
  for (let i = 0; i < times; i++) await throttle.recordFailure(typeof username === 'string' ? username : username(i), address);
}

describe('login throttle', () => {
  describe('with the default limits (OWASP ASVS 2.2.1)', () => {
    it('blocks an account after 10 failures, for at most the 15-minute window', async () => {
      const throttle = new LoginThrottle();
      await fail(throttle, 9, 'alice', '10.0.0.1');
      expect(await throttle.retryAfter('alice', '10.0.0.1')).toBe(0);
      await throttle.recordFailure('alice', '10.0.0.1');
      const wait = await throttle.retryAfter('alice', '10.0.0.1');
      expect(wait).toBeGreaterThan(890);
      expect(wait).toBeLessThanOrEqual(900);
      // The block is on the account: another address does not help...
      expect(await throttle.retryAfter('alice', '10.0.0.99')).toBeGreaterThan(0);
      // ...and other accounts from other addresses are untouched.
      expect(await throttle.retryAfter('bob', '10.0.0.2')).toBe(0);
    });

    it('blocks an address after 50 failures, whatever account it tries next', async () => {
      const throttle = new LoginThrottle();
      await fail(throttle, 49, (i) => `user${i}`, '192.0.2.1');
      expect(await throttle.retryAfter('fresh', '192.0.2.1')).toBe(0);
      await throttle.recordFailure('user49', '192.0.2.1');
      expect(await throttle.retryAfter('fresh', '192.0.2.1')).toBeGreaterThan(0);
      expect(await throttle.retryAfter('fresh', '192.0.2.2')).toBe(0);
    });
  });

  it('counts an account by its trimmed, lower-cased name', async () => {
    const throttle = new LoginThrottle({ account: 3, address: 100, windowSeconds: 60 });
    await throttle.recordFailure('Alice', '10.0.0.1');
    await throttle.recordFailure(' alice ', '10.0.0.2');
    await throttle.recordFailure('ALICE', '10.0.0.3');
    expect(await throttle.retryAfter('alice', '10.0.0.4')).toBeGreaterThan(0);
  });

  it("clears an account's count on success, but not its address's", async () => {
    const throttle = new LoginThrottle({ account: 3, address: 5, windowSeconds: 60 });
    await fail(throttle, 2, 'alice', '10.0.0.1');
    await throttle.recordSuccess('Alice');
    await fail(throttle, 2, 'alice', '10.0.0.1');
    expect(await throttle.retryAfter('alice', '10.0.0.2')).toBe(0);
    await throttle.recordFailure('alice', '10.0.0.2');
    expect(await throttle.retryAfter('alice', '10.0.0.3')).toBeGreaterThan(0);
    // 10.0.0.1 has failed 4 times; one more blocks it despite the success in between.
    expect(await throttle.retryAfter('bob', '10.0.0.1')).toBe(0);
    await throttle.recordFailure('carol', '10.0.0.1');
    expect(await throttle.retryAfter('bob', '10.0.0.1')).toBeGreaterThan(0);
  });

  it('lets an account try again once the window has passed', async () => {
    const throttle = new LoginThrottle({ account: 2, address: 10, windowSeconds: 1 });
    await fail(throttle, 2, 'alice', '10.0.0.1');
    expect(await throttle.retryAfter('alice', '10.0.0.1')).toBe(1);
    await sleep(1100);
    expect(await throttle.retryAfter('alice', '10.0.0.1')).toBe(0);
  });
});
