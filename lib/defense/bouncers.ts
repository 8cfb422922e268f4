import { z } from 'zod';

/** A bouncer's name: what `cscli bouncers add` accepts, and safe in a file name and a log line. */
export const bouncerNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, . _ - (starting with a letter or digit)');

/** Before a bouncer's pulls tell us otherwise, CrowdSec's own default `update_frequency`. */
export const DEFAULT_PULL_INTERVAL_MS = 10_000;

/** Missing this many of its intervals makes a bouncer stale. */
export const STALE_AFTER_INTERVALS = 3;

export const bouncerStatusSchema = z.enum(['pending', 'ok', 'stale', 'failing']);
export type BouncerStatus = z.infer<typeof bouncerStatusSchema>;

export const bouncerViewSchema = z.object({
  name: z.string(),
  createdAt: z.string(),
  address: z.string().nullable(),
  version: z.string().nullable(),
  lastPullAt: z.string().nullable(),
  lastStatus: z.number().int().nullable(),
  delivered: z.number().int().nonnegative(),
  intervalMs: z.number().int().positive().nullable(),
  status: bouncerStatusSchema,
  /** The token was revoked (`vigil bouncer delete` or the tokens page): its pulls get 401. */
  revoked: z.boolean(),
});
export type BouncerView = z.infer<typeof bouncerViewSchema>;

export const bouncerListSchema = z.object({ bouncers: z.array(bouncerViewSchema) });
export type BouncerList = z.infer<typeof bouncerListSchema>;

/** `crowdsec-firewall-bouncer/v0.0.25` → `v0.0.25 (crowdsec-firewall-bouncer)`; anything else, trimmed, as it came. */
export function bouncerVersionOf(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  const text = userAgent.trim().slice(0, 120);
  const match = /^([\w.-]+)\/(v?[\w.+-]+)/.exec(text);
  return match ? `${match[2]} (${match[1]})` : text || null;
}

/**
 * The shortest interval a bouncer is taken to pull at: a burst of pulls (a retry, a client pulling
 * twice) must not make one that then pulls at its own pace look stale within milliseconds.
 */
export const MIN_PULL_INTERVAL_MS = 1000;

/**
 * The interval a bouncer pulls at, from the gap it just left: the first gap is taken as it is,
 * later ones move the estimate a quarter of the way, so one late pull does not redefine it.
 */
export function nextIntervalEstimate(previous: number | null, gapMs: number): number {
  const gap = Math.max(MIN_PULL_INTERVAL_MS, Math.round(gapMs));
  return previous === null ? gap : Math.max(MIN_PULL_INTERVAL_MS, Math.round(previous + (gap - previous) / 4));
}

export function isOverdue(bouncer: { lastPullAt: number | null; intervalMs: number | null }, now: number): boolean {
  if (bouncer.lastPullAt === null) return false;
  return now - bouncer.lastPullAt > STALE_AFTER_INTERVALS * (bouncer.intervalMs ?? DEFAULT_PULL_INTERVAL_MS);
}

/** What the table shows: never pulled, refused (a revoked token), overdue, or pulling. */
export function bouncerStatus(bouncer: { lastPullAt: number | null; lastStatus: number | null; intervalMs: number | null }, now: number): BouncerStatus {
  if (bouncer.lastPullAt === null) return 'pending';
  if (bouncer.lastStatus !== null && bouncer.lastStatus >= 400) return 'failing';
  return isOverdue(bouncer, now) ? 'stale' : 'ok';
}
