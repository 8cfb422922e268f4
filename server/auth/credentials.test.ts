import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { LIVE_TOKEN_AUDIENCE } from '@/lib/live/events';
import { mintLiveToken } from '../test-support';
import { deriveKey, internalToken, safeEqual, sha256Hex } from './keys';
import { issueLiveToken, verifyLiveToken } from './live-token';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords';

const SECRET = 'credentials-test-secret-0123456789abcdef';

describe('keys', () => {
  it('derives a different key per purpose and per secret', () => {
    const keys = (['session', 'live', 'internal', 'setup'] as const).map((p) => deriveKey(SECRET, p).toString('hex'));
    expect(new Set(keys).size).toBe(4);
    expect(deriveKey(SECRET, 'live').equals(deriveKey(SECRET, 'live'))).toBe(true);
    expect(internalToken(SECRET)).not.toBe(internalToken(`${SECRET}x`));
    expect(internalToken(SECRET)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('compares strings in constant time, length included', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('live tokens', () => {
  it('round-trips a principal and expires after a minute', async () => {
    const { token, expiresAt } = await issueLiveToken(SECRET, { id: 'u1', name: 'alice', role: 'operator', kind: 'user' });
    expect(await verifyLiveToken(SECRET, token)).toEqual({ id: 'u1', name: 'alice', role: 'operator', kind: 'user' });
    const claims = decodeJwt(token);
    expect(claims.aud).toBe(LIVE_TOKEN_AUDIENCE);
    expect(claims.exp! - claims.iat!).toBe(60);
    expect(new Date(expiresAt).getTime()).toBe(claims.exp! * 1000);
  });

  it('rejects another secret, an expired token and an unknown role', async () => {
    const good = await mintLiveToken({ secret: SECRET });
    await expect(verifyLiveToken(`${SECRET}x`, good)).rejects.toThrow();
    await expect(verifyLiveToken(SECRET, await mintLiveToken({ secret: SECRET, expiresInSeconds: -1 }))).rejects.toThrow(/exp/);
    const { SignJWT } = await import('jose');
    const root = await new SignJWT({ role: 'root' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setAudience(LIVE_TOKEN_AUDIENCE)
      .setExpirationTime('1m')
      .sign(deriveKey(SECRET, 'live'));
    await expect(verifyLiveToken(SECRET, root)).rejects.toThrow();
  });

  it('falls back to the subject for a token without a name', async () => {
    const { SignJWT } = await import('jose');
    const token = await new SignJWT({ role: 'viewer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u9')
      .setAudience(LIVE_TOKEN_AUDIENCE)
      .setExpirationTime('1m')
      .sign(deriveKey(SECRET, 'live'));
    expect(await verifyLiveToken(SECRET, token)).toEqual({ id: 'u9', name: 'u9', role: 'viewer', kind: 'user' });
  });
});

describe('passwords (argon2id)', () => {
  it('verifies the right password only, and never throws on a bad hash', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
    await expect(burnPasswordCheck('whatever')).resolves.toBeUndefined();
  });
});
