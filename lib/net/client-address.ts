import { BlockList, isIP } from 'node:net';

/** Loopback peers are trusted proxies by default: a local nginx, Caddy or Traefik. */
export const DEFAULT_TRUSTED_PROXIES = ['127.0.0.0/8', '::1/128'];

export class InvalidCidrError extends Error {
  constructor(readonly value: string) {
    super(`"${value}" is not an IP address or CIDR range`);
    this.name = 'InvalidCidrError';
  }
}

/** "::ffff:10.0.0.1" → "10.0.0.1": IPv4 peers on a dual-stack socket arrive mapped. */
export function normalizeIp(address: string): string {
  const trimmed = address.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1] : trimmed;
}

export function parseCidrList(values: readonly string[]): BlockList {
  const list = new BlockList();
  for (const value of values) {
    const [address, prefix] = value.trim().split('/');
    const ip = normalizeIp(address ?? '');
    const family = isIP(ip);
    if (family === 0) throw new InvalidCidrError(value);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(ip, type);
      continue;
    }
    const bits = Number(prefix);
    if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) throw new InvalidCidrError(value);
    list.addSubnet(ip, bits, type);
  }
  return list;
}

export function isTrusted(list: BlockList, address: string): boolean {
  const ip = normalizeIp(address);
  const family = isIP(ip);
  return family !== 0 && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The address of the client behind any trusted proxies: forwarded headers are
 * believed only when the peer itself is a trusted proxy, and then the rightmost
 * untrusted hop of X-Forwarded-For is taken (hops to its left could be forged).
 */
export function clientAddress(input: { peer: string; forwardedFor?: string | null; realIp?: string | null; trusted: BlockList }): string {
  const peer = normalizeIp(input.peer);
  if (!isTrusted(input.trusted, peer)) return peer;
  const hops = (input.forwardedFor ?? '')
    .split(',')
    .map((hop) => normalizeIp(hop))
    .filter((hop) => isIP(hop) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(input.trusted, hops[i])) return hops[i];
  }
  const realIp = input.realIp ? normalizeIp(input.realIp) : null;
  if (realIp && isIP(realIp) !== 0) return realIp;
  return hops[0] ?? peer;
}
