import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoginThrottle, type SignInAttempt } from './login-throttle';

/** `times` attempts that all fail (nothing is given back); returns how many were let through. */
async function fail(throttle: LoginThrottle, times: number, username: string | ((i: number) => string), address: string): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < times; i++) if ((await throttle.begin(typeof username === 'string' ? username : username(i), address)).allowed) allowed++;
  return allowed;
}

const waitOf = (attempt: SignInAttempt) => (attempt.allowed ? 0 : attempt.retryAfterSeconds);

describe('login throttle', () => {
  describe('with the default limits (OWASP ASVS 2.2.1)', () => {
    it('refuses an account from one address after 10 attempts, for at most the 15-minute window', async () => {
      const throttle = new LoginThrottle();
      expect(await fail(throttle, 10, 'alice', '10.0.0.1')).toBe(10);
      const wait = waitOf(await throttle.begin('alice', '10.0.0.1'));
      expect(wait).toBeGreaterThan(890);
      expect(wait).toBeLessThanOrEqual(900);
      // The block is on the account at that address: the real user elsewhere still signs in...
      expect((await throttle.begin('alice', '10.0.0.99')).allowed).toBe(true);
      // ...and other accounts are untouched.
      expect((await throttle.begin('bob', '10.0.0.2')).allowed).toBe(true);
    });

    it('refuses an address after 50 attempts, whatever account it tries next', async () => {
      const throttle = new LoginThrottle();
      expect(await fail(throttle, 50, (i) => `user${i}`, '192.0.2.1')).toBe(50);
      expect((await throttle.begin('fresh', '192.0.2.1')).allowed).toBe(false);
      expect((await throttle.begin('fresh', '192.0.2.2')).allowed).toBe(true);
    });
  });

  it('lets through at most the limit of attempts started all at once', async () => {
    const throttle = new LoginThrottle({ accountPerSource: 5, source: 100, windowSeconds: 60 });
    const attempts = await Promise.all(Array.from({ length: 40 }, () => throttle.begin('alice', '10.0.0.1')));
    expect(attempts.filter((a) => a.allowed)).toHaveLength(5);
  });

  it('counts an account by its trimmed, lower-cased name', async () => {
    const throttle = new LoginThrottle({ accountPerSource: 3, source: 100, windowSeconds: 60 });
    expect(await fail(throttle, 1, 'Alice', '10.0.0.1')).toBe(1);
    expect(await fail(throttle, 1, ' alice ', '10.0.0.1')).toBe(1);
    expect(await fail(throttle, 1, 'ALICE', '10.0.0.1')).toBe(1);
    expect((await throttle.begin('alice', '10.0.0.1')).allowed).toBe(false);
  });

  it("forgives an account's attempts from that address on success, and gives the address its point back", async () => {
    const throttle = new LoginThrottle({ accountPerSource: 3, source: 5, windowSeconds: 60 });
    expect(await fail(throttle, 2, 'alice', '10.0.0.1')).toBe(2);
    const success = await throttle.begin('Alice', '10.0.0.1');
    if (!success.allowed) throw new Error('the third attempt should be allowed');
    await success.succeeded();
    expect(await fail(throttle, 3, 'alice', '10.0.0.1')).toBe(3);
    expect((await throttle.begin('alice', '10.0.0.1')).allowed).toBe(false);
    // 10.0.0.1 has failed 5 times, and the refused attempt above counted too.
    expect((await throttle.begin('bob', '10.0.0.1')).allowed).toBe(false);
  });

  describe('over time', () => {
    // The limiter reads the window's end from Date.now: only the date is faked, so promises and timers run as usual.
    afterEach(() => {
      vi.useRealTimers();
    });

    it('lets an account try again once the window has passed, not a moment before', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const throttle = new LoginThrottle({ accountPerSource: 2, source: 10, windowSeconds: 60 });
      expect(await fail(throttle, 2, 'alice', '10.0.0.1')).toBe(2);
      expect(waitOf(await throttle.begin('alice', '10.0.0.1'))).toBe(60);
      vi.setSystemTime(Date.now() + 59_000);
      expect(waitOf(await throttle.begin('alice', '10.0.0.1'))).toBe(1);
      vi.setSystemTime(Date.now() + 1000);
      expect((await throttle.begin('alice', '10.0.0.1')).allowed).toBe(true);
    });
  });
});
