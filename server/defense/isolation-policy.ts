import { codedError } from '@/lib/errors';
import { roleAtLeast, type Role } from '@/lib/auth/roles';
import type { DefenseConfig } from '@/lib/defense/defense-config';
import { parseSource, rangesOverlap, type ParsedSource } from '@/lib/defense/ip-prefix';
import type { Allowlist } from './allowlist';

export type IsolationErrorCode = 'invalid_source' | 'allowlisted' | 'protected_source' | 'admin_required' | 'not_isolated';

export const ISOLATION_ERROR_STATUS: Record<IsolationErrorCode, number> = {
  invalid_source: 422,
  allowlisted: 409,
  protected_source: 422,
  admin_required: 403,
  not_isolated: 404,
};

export class IsolationError extends codedError('IsolationError', ISOLATION_ERROR_STATUS) {}

/**
 * Who asks for an isolation: the role of the person or token, or `system` for Vigil itself
 * (its detectors, and decisions a leader already made that a standby or a restart replays).
 */
export type IsolationAuthority = Role | 'system';

/** Vigil's own loopback: the worker, the web app and the guard's caller talk over it. */
const LOOPBACK = ['127.0.0.0/8', '::1/128'].map((text) => parseSource(text)!);

const isSingleAddress = (source: ParsedSource) => source.prefix === (source.family === 4 ? 32 : 128);

interface PolicyDeps {
  allowlist: Allowlist;
  trustedProxies: () => readonly string[];
  config: () => DefenseConfig['isolation'];
}

/**
 * What may never be isolated, and what only an admin may isolate. Every path that isolates
 * (operators through the web app, tokens on the machine API, the detectors, a standby or a
 * restart replaying stored decisions) asks here, so none can lock out what the others cannot.
 */
export class IsolationPolicy {
  private proxies: { from: readonly string[]; parsed: ParsedSource[] } = { from: [], parsed: [] };

  constructor(private readonly deps: PolicyDeps) {}

  /** Why `source` may not be isolated by `authority`, or null when it may. */
  refusal(source: ParsedSource, authority: IsolationAuthority): IsolationError | null {
    const loopback = LOOPBACK.find((range) => rangesOverlap(range, source));
    if (loopback)
      return new IsolationError('protected_source', `${source.text} overlaps loopback (${loopback.text}), which Vigil itself uses; it is never isolated`);
    const proxy = this.trustedProxies().find((range) => rangesOverlap(range, source));
    if (proxy)
      return new IsolationError(
        'protected_source',
        `${source.text} overlaps the trusted proxy ${proxy.text}; isolating it would cut off every client behind it, so it is never isolated`,
      );
    const allowed = isSingleAddress(source) ? this.deps.allowlist.match(source.text) : this.deps.allowlist.overlapping(source);
    if (allowed)
      return new IsolationError(
        'allowlisted',
        `${source.text} ${allowed.source === source.text ? 'is' : 'overlaps'} the allowlist entry ${allowed.source}, which is never isolated`,
      );
    const widest = this.deps.config().widestOperatorPrefix[source.family === 4 ? 'ipv4' : 'ipv6'];
    if (source.prefix < widest && authority !== 'system' && !roleAtLeast(authority, 'admin')) {
      return new IsolationError(
        'admin_required',
        `${source.text} is wider than /${widest}; isolating a range that broad is close to a lockdown and needs an admin`,
      );
    }
    return null;
  }

  private trustedProxies(): ParsedSource[] {
    const from = this.deps.trustedProxies();
    // Parsed again only when the configuration was reloaded with another list.
    if (from !== this.proxies.from) this.proxies = { from, parsed: from.flatMap((text) => parseSource(text) ?? []) };
    return this.proxies.parsed;
  }
}
