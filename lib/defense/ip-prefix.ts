import { isIPv6 } from 'node:net';

/** An IP address or CIDR range, reduced to numbers so lookups never re-parse text. */
export interface ParsedSource {
  family: 4 | 6;
  /** 32 / 128 for a single address. */
  prefix: number;
  /** The network part as a number (v4) or bigint (v6), host bits cleared. */
  network: number | bigint;
  /** Canonical text: `10.0.0.1`, `10.0.0.0/8`, `2001:db8::/32`. */
  text: string;
}

/** Fast path for the common case: four decimal octets, no allocation beyond the loop. */
export function parseIpv4(text: string): number | null {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return null;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      // A leading zero would be read as octal by some tools: refuse the ambiguity.
      if (digits === 1 && octet === 0) return null;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return null;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0) return null;
  return value * 256 + octet;
}

function parseIpv6(text: string): bigint | null {
  if (!isIPv6(text)) return null;
  let body = text.split('%')[0];
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === null) return null;
    body = `${body.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = body.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length > 1 ? [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest] : head;
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(parseInt(group, 16));
  return value;
}

export const V4_MASKS = Array.from({ length: 33 }, (_, p) => (p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0));
const ALL_V6 = (1n << 128n) - 1n;
const v6Mask = (prefix: number): bigint => (prefix === 0 ? 0n : (ALL_V6 << BigInt(128 - prefix)) & ALL_V6);

export const maskIpv4 = (value: number, prefix: number): number => (value & V4_MASKS[prefix]) >>> 0;
export const maskIpv6 = (value: bigint, prefix: number): bigint => value & v6Mask(prefix);

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** RFC 5952 text: lowercase, the longest run of zero groups compressed. */
export function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - i * 16)) & 0xffffn));
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}

/** "::ffff:10.0.0.1" and "[::1]" are the forms sockets and headers hand over. */
function stripAddress(text: string): string {
  // The common case (plain IPv4 text from our own store or a header) skips the regexes.
  if (text.indexOf(':') < 0 && text.indexOf('[') < 0 && text.indexOf(' ') < 0) return text;
  const trimmed = text.trim().replace(/^\[|\]$/g, '');
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(trimmed) ? trimmed.slice(7) : trimmed;
}

/** An address or CIDR range, or null when it is neither (the caller names the value in its 422). */
export function parseSource(input: string): ParsedSource | null {
  const [addressPart, prefixPart, extra] = input.split('/');
  if (extra !== undefined || addressPart === undefined) return null;
  if (prefixPart !== undefined && !/^\d{1,3}$/.test(prefixPart)) return null;
  const address = stripAddress(addressPart);
  const v4 = parseIpv4(address);
  if (v4 !== null) {
    const prefix = prefixPart === undefined ? 32 : Number(prefixPart);
    if (prefix > 32) return null;
    const network = maskIpv4(v4, prefix);
    return { family: 4, prefix, network, text: prefix === 32 ? formatIpv4(network) : `${formatIpv4(network)}/${prefix}` };
  }
  const v6 = parseIpv6(address);
  if (v6 === null) return null;
  const prefix = prefixPart === undefined ? 128 : Number(prefixPart);
  if (prefix > 128) return null;
  const network = maskIpv6(v6, prefix);
  return { family: 6, prefix, network, text: prefix === 128 ? formatIpv6(network) : `${formatIpv6(network)}/${prefix}` };
}

/** A single address in canonical text, or null: the key the detectors and the guard share. */
export function canonicalIp(input: string): string | null {
  const address = stripAddress(input);
  if (parseIpv4(address) !== null) return address;
  const parsed = parseSource(address);
  return parsed && parsed.family === 6 && parsed.prefix === 128 ? parsed.text : null;
}

/** CIDR ranges either nest or are apart: they overlap when they agree on the shorter prefix. */
export function rangesOverlap(a: ParsedSource, b: ParsedSource): boolean {
  if (a.family !== b.family) return false;
  const prefix = Math.min(a.prefix, b.prefix);
  if (a.family === 4) return maskIpv4(a.network as number, prefix) === maskIpv4(b.network as number, prefix);
  return maskIpv6(a.network as bigint, prefix) === maskIpv6(b.network as bigint, prefix);
}
