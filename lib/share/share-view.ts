import { z } from 'zod';
import { auditCursorSchema } from '../audit/filters';
import type { ChainedAuditEvent } from '../audit/types';
import { parseIpv6, type Ipv6Address } from '../net/ipv6';

/** The views a link can show, and the query (filters, range) frozen into the link. */
export const SHAREABLE_PATHS = ['/audit', '/'] as const;

export const shareViewSchema = z.object({
  path: z.enum(SHAREABLE_PATHS),
  query: z.record(z.string().max(64), z.string().max(500)).default({}),
});
export type ShareView = z.infer<typeof shareViewSchema>;

export const createShareLinkSchema = z.object({
  title: z.string().trim().min(1, 'give the link a title').max(120),
  view: shareViewSchema,
  expiresInHours: z
    .number()
    .int()
    .min(1, 'at least 1 hour')
    .max(24 * 30, 'at most 30 days')
    .default(24),
  redactSources: z.boolean().default(false),
});
export type CreateShareLink = z.infer<typeof createShareLinkSchema>;

const IPV4 = /\b(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}\b/g;

/** Runs that may hold an IPv6 address (hex digits, colons, dots, a zone); parseIpv6 decides. */
const IPV6_CANDIDATE = /[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z_.-]+)?/g;
/** The longest IPv6 text (45 characters) with a generous zone. */
const IPV6_MAX_LENGTH = 64;

/**
 * The first IPv6 address inside a candidate run, as [start, end, parsed]. A run glued to a word
 * on its left (`source:2001:db8::1`) is first tried from after each colon, so the address is
 * found rather than `ce:2001…`; every other start is still tried after, so nothing is missed.
 */
function findIpv6(run: string, gluedLeft: boolean): [number, number, Ipv6Address] | null {
  if (run.split(':').length < 3) return null;
  const afterColons = [...run.matchAll(/:/g)].map((m) => m.index + 1).filter((i) => run[i] !== ':' && run[i - 2] !== ':');
  const preferred = gluedLeft ? afterColons : [0, ...afterColons];
  // Then every other start: an address glued to hex letters (`a2001:db8::1`) starts mid-run.
  const starts = [...preferred, ...Array.from(run, (_, i) => i).filter((i) => !preferred.includes(i))];
  for (const start of starts) {
    for (let end = Math.min(run.length, start + IPV6_MAX_LENGTH); end > start + 1; end--) {
      const parsed = parseIpv6(run.slice(start, end));
      if (parsed) return [start, end, parsed];
    }
  }
  return null;
}

/** 2001:db8::1 → 2001:db8:…; an IPv4-mapped one keeps its IPv4 form, redacted like IPv4. */
function redactIpv6(address: Ipv6Address): string {
  if (address.mappedV4) return `::ffff:${address.mappedV4.replace(IPV4, '$1.x')}`;
  return `${address.groups[0].toString(16)}:${address.groups[1].toString(16)}:…`;
}

/** 203.0.113.9 → 203.0.113.x, 2001:db8::1 → 2001:db8:…: enough to tell sources apart, not to find them. */
export function redactAddress(address: string | null): string | null {
  if (!address) return address;
  const v4 = /^(\d+\.\d+\.\d+)\.\d+$/.exec(address);
  if (v4) return `${v4[1]}.x`;
  const v6 = parseIpv6(address.replace(/^\[|\]$/g, ''));
  return v6 ? redactIpv6(v6) : 'redacted';
}

/** Redacts IPv4 and IPv6 addresses (every form) wherever they appear in free text (actions, reasons, details). */
export function redactAddressesInText(text: string): string {
  const withoutV6 = text.replace(IPV6_CANDIDATE, (run: string, offset: number) => {
    const found = findIpv6(run, offset > 0 && /[0-9A-Za-z]/.test(text[offset - 1]));
    if (!found) return run;
    const [start, end, parsed] = found;
    // What follows the address in the run (a port, another address) is looked at again.
    return run.slice(0, start) + redactIpv6(parsed) + redactAddressesInText(run.slice(end));
  });
  return withoutV6.replace(IPV4, '$1.x');
}

/** Text a shared view shows around its data (the frozen filters): redacted when the link redacts. */
export function redactSharedText(text: string, redact: boolean): string {
  return redact ? redactAddressesInText(text) : text;
}

/** Everything a shared audit view shows, with the addresses in it redacted. */
export function redactAuditEvent(event: ChainedAuditEvent): ChainedAuditEvent {
  return {
    ...event,
    source: redactAddress(event.source),
    actor: redactAddressesInText(event.actor),
    action: redactAddressesInText(event.action),
    resource: event.resource === null ? null : redactAddressesInText(event.resource),
    reason: event.reason === null ? null : redactAddressesInText(event.reason),
    details: JSON.parse(redactAddressesInText(JSON.stringify(event.details))) as ChainedAuditEvent['details'],
  };
}

/**
 * The share page's own query: which page of a shared audit view, as the same keyset
 * cursor the audit page uses. The filters stay frozen in the link and are not read here.
 */
export const sharedAuditPageSchema = z.object({
  cursor: z.string('give one cursor').pipe(auditCursorSchema).optional(),
});

/** What a shared audit view renders: a page of events, or why the address was refused. */
export type SharedAuditPage =
  { ok: true; events: ChainedAuditEvent[]; cursor: number | null; nextCursor: number | null } | { ok: false; status: 422; message: string };
