import { isIP } from 'node:net';
import type { LogFileConfig, LogPattern } from '@/lib/config/logs-config';
import type { SecuritySignal, SignalKind } from '@/lib/defense/signals';

/** What one line says, before it is stamped with an origin and a time. */
export type ParsedSignal = Omit<SecuritySignal, 'origin' | 'at'>;

interface CompiledPattern {
  kind: SignalKind;
  regex: RegExp;
}

/** An IPv4/IPv6 address as logs spell it: sshd may write `::ffff:1.2.3.4`, some proxies add a port. */
const ADDRESS = '(?<source>[0-9A-Fa-f:.]+)';

// fail2ban's filter.d/nginx-*.conf and apache-*.conf match the same combined format:
// remote_addr - remote_user [time_local] "request" status body_bytes ...
const COMBINED: LogPattern[] = [
  { kind: 'request', regex: `^${ADDRESS} \\S+ (?<user>\\S+) \\[[^\\]]*\\] "(?:[A-Z]+ )?(?<path>[^" ]*)[^"]*" (?<status>\\d{3})\\b` },
];

// fail2ban's filter.d/sshd.conf, normal mode, reduced to the lines that name a user and an address.
const SSHD: LogPattern[] = [
  {
    kind: 'auth_failure',
    regex: `Failed (?:password|publickey|keyboard-interactive(?:/pam)?|none) for (?:invalid user )?(?<user>.*?) from ${ADDRESS}(?: port \\d+)?`,
  },
  { kind: 'auth_failure', regex: `[Ii](?:nvalid|llegal) user (?<user>.*?) from ${ADDRESS}(?: port \\d+)?\\s*$` },
  { kind: 'auth_failure', regex: `authentication failure;.*\\brhost=${ADDRESS}(?:\\s+user=(?<user>\\S+))?` },
  { kind: 'auth_success', regex: `Accepted (?:password|publickey|keyboard-interactive(?:/pam)?) for (?<user>\\S+) from ${ADDRESS}(?: port \\d+)?` },
];

const PRESETS: Record<LogFileConfig['format'], LogPattern[]> = { combined: COMBINED, nginx: COMBINED, apache: COMBINED, sshd: SSHD, custom: [] };

function normaliseAddress(raw: string): string | null {
  const unmapped = raw.startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
  return isIP(unmapped) ? unmapped : null;
}

function toSignal(kind: SignalKind, groups: Record<string, string | undefined>): ParsedSignal | null {
  const source = groups.source ? normaliseAddress(groups.source) : null;
  if (!source) return null;
  const signal: ParsedSignal = { kind, source };
  // Access logs write '-' for "no user"; an empty capture means the same.
  if (groups.user && groups.user !== '-') signal.user = groups.user.slice(0, 200);
  if (groups.path) signal.path = groups.path.slice(0, 2048);
  const status = groups.status ? Number(groups.status) : NaN;
  if (Number.isInteger(status) && status >= 100 && status <= 599) signal.status = status;
  return signal;
}

export type LineParser = (line: string) => ParsedSignal[];

/**
 * The first matching pattern wins, as in fail2ban. A request that ended in 404 is also a
 * `not_found`, which is what the scanning detector counts.
 */
export function compileLineParser(file: Pick<LogFileConfig, 'format' | 'patterns'>): LineParser {
  const patterns: CompiledPattern[] = [...file.patterns, ...PRESETS[file.format]].map((p) => ({ kind: p.kind, regex: new RegExp(p.regex) }));
  return (line) => {
    for (const { kind, regex } of patterns) {
      const match = regex.exec(line);
      if (!match?.groups) continue;
      const signal = toSignal(kind, match.groups);
      if (!signal) continue;
      return kind === 'request' && signal.status === 404 ? [signal, { ...signal, kind: 'not_found' }] : [signal];
    }
    return [];
  };
}
