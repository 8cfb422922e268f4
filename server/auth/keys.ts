import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One secret, one derived key per use: a leaked live-socket key cannot sign sessions. */
export function deriveKey(secret: string, purpose: 'session' | 'live' | 'internal' | 'setup' | 'share'): Buffer {
  return createHmac('sha256', secret).update(`vigil:${purpose}`).digest();
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function internalToken(secret: string): string {
  return deriveKey(secret, 'internal').toString('base64url');
}
