import { AppError } from '@/lib/errors';
import { createHmac, randomBytes } from 'node:crypto';
import { shareViewSchema, type CreateShareLink, type ShareView } from '@/lib/share/share-view';
import type { Db } from '../db/client';
import { deriveKey, safeEqual, sha256Hex } from '../auth/keys';
import { findShareLink, insertShareLink, recordShareLinkUse } from '../queries/share-links';

/**
 * A share token is `<id>.<signature>`: the signature is an HMAC over the id and the
 * expiry with a key derived from the instance secret, so a token cannot be forged or
 * have its expiry stretched, and the database keeps only the token's hash. Revocation
 * is a flag on the row. Every refusal looks the same, so a guess learns nothing.
 */
export class InvalidShareLinkError extends AppError {
  constructor() {
    super('invalid_share_link', 401, 'this link is not valid (it may have expired or been revoked)');
    this.name = 'InvalidShareLinkError';
  }
}

export interface ResolvedShareLink {
  id: string;
  title: string;
  view: ShareView;
  redactSources: boolean;
  expiresAt: Date;
  createdBy: string;
}

/** `<id>.<signature>`, both base64url, as createShareLink makes them. */
const SHARE_TOKEN = /^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,128}$/;

function sign(secret: string, id: string, expiresAt: Date): string {
  return createHmac('sha256', deriveKey(secret, 'share')).update(`share:${id}:${expiresAt.getTime()}`).digest('base64url');
}

export async function createShareLink(db: Db, secret: string, input: CreateShareLink & { createdBy: string }, now = new Date()) {
  const id = randomBytes(12).toString('base64url');
  const expiresAt = new Date(now.getTime() + input.expiresInHours * 3_600_000);
  const token = `${id}.${sign(secret, id, expiresAt)}`;
  await insertShareLink(db, {
    id,
    tokenHash: sha256Hex(token),
    title: input.title,
    view: JSON.stringify(input.view),
    redactSources: input.redactSources,
    createdBy: input.createdBy,
    expiresAt,
  });
  return { id, token, expiresAt };
}

/**
 * Checks a token; throws InvalidShareLinkError for anything wrong. `countUse` is for
 * opening the link (counted and audited by the caller); follow-up requests of the
 * same page (older events) only check it.
 */
export async function resolveShareLink(db: Db, secret: string, token: string, now = new Date(), { countUse = true } = {}): Promise<ResolvedShareLink> {
  // Checked before the database sees it: a NUL or a lone surrogate would fail there, not here.
  if (!SHARE_TOKEN.test(token)) throw new InvalidShareLinkError();
  const [id, signature] = token.split('.');
  const row = await findShareLink(db, id);
  if (!row || row.revokedAt || row.expiresAt <= now) throw new InvalidShareLinkError();
  if (!safeEqual(signature, sign(secret, id, row.expiresAt)) || !safeEqual(sha256Hex(token), row.tokenHash)) throw new InvalidShareLinkError();
  const view = shareViewSchema.safeParse(JSON.parse(row.view));
  if (!view.success) throw new InvalidShareLinkError();
  if (countUse) await recordShareLinkUse(db, id, now);
  return { id, title: row.title, view: view.data, redactSources: row.redactSources, expiresAt: row.expiresAt, createdBy: row.createdBy };
}
