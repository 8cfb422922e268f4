// credentials.test.ts covers the round trip, another secret and expiry; this adds the
// claims a forged or misdirected token could get wrong.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { LIVE_TOKEN_AUDIENCE } from '@/lib/live/events';
import { mintLiveToken, TEST_SECRET } from '../test-support';
import { deriveKey } from './keys';
import { issueLiveToken, verifyLiveToken } from './live-token';

const key = deriveKey(TEST_SECRET, 'live');
const claims = { role: 'operator', name: 'alice' };

describe('live tokens', () => {
  it('round-trips a principal', async () => {
    const { token } = await issueLiveToken(TEST_SECRET, { id: 'u1', name: 'alice', role: 'admin', kind: 'user' });
    expect(await verifyLiveToken(TEST_SECRET, token)).toEqual({ id: 'u1', name: 'alice', role: 'admin', kind: 'user' });
  });

  it('refuses a token for another audience', async () => {
    await expect(verifyLiveToken(TEST_SECRET, await mintLiveToken({ secret: TEST_SECRET, audience: 'vigil-other' }))).rejects.toThrow(/aud/);
    const none = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setExpirationTime('1m').sign(key);
    await expect(verifyLiveToken(TEST_SECRET, none)).rejects.toThrow(/aud/);
  });

  it('refuses a token that expired a moment ago', async () => {
    const past = Math.floor(Date.now() / 1000) - 5;
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setAudience(LIVE_TOKEN_AUDIENCE)
      .setIssuedAt(past - 60)
      .setExpirationTime(past)
      .sign(key);
    await expect(verifyLiveToken(TEST_SECRET, expired)).rejects.toThrow(/exp/);
  });

  it('refuses a token signed with another secret or another algorithm', async () => {
    const { token } = await issueLiveToken(`${TEST_SECRET}-other`, { id: 'u1', name: 'alice', role: 'admin', kind: 'user' });
    await expect(verifyLiveToken(TEST_SECRET, token)).rejects.toThrow(/signature/);
    // The session key is another derivation of the same secret: it must not sign live tokens.
    const sessionKeyed = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setAudience(LIVE_TOKEN_AUDIENCE)
      .setExpirationTime('1m')
      .sign(deriveKey(TEST_SECRET, 'session'));
    await expect(verifyLiveToken(TEST_SECRET, sessionKeyed)).rejects.toThrow(/signature/);
    const hs512 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject('u1')
      .setAudience(LIVE_TOKEN_AUDIENCE)
      .setExpirationTime('1m')
      .sign(key);
    await expect(verifyLiveToken(TEST_SECRET, hs512)).rejects.toThrow(/alg/);
  });

  it('refuses a token whose payload was edited after signing', async () => {
    const { token } = await issueLiveToken(TEST_SECRET, { id: 'u1', name: 'alice', role: 'viewer', kind: 'user' });
    const [header, payload, signature] = token.split('.');
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), role: 'admin' })).toString('base64url');
    await expect(verifyLiveToken(TEST_SECRET, `${header}.${edited}.${signature}`)).rejects.toThrow(/signature/);
  });
});
