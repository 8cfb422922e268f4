import type { BlockList } from 'node:net';
import { formatIpv4, maskIpv4, parseIpv4, parseSource, rangesOverlap, type ParsedSource } from '@/lib/defense/ip-prefix';
import { PrefixMap } from '@/lib/defense/prefix-map';
import { isTrusted, parseCidrList } from './client-address';

/** IPv4 addresses seen through IPv6 (`::ffff:a.b.c.d`); Node's BlockList matches IPv6 rules over them too. */
const IPV4_MAPPED = parseSource('::ffff:0:0/96')!;

/** The IPv4 addresses an IPv6 range covers through the mapped block, as an IPv4 range; null when none. */
function mappedIpv4Range(range: ParsedSource): ParsedSource | null {
  if (!rangesOverlap(range, IPV4_MAPPED)) return null;
  const prefix = Math.max(0, range.prefix - 96);
  const network = maskIpv4(Number((range.network as bigint) & 0xffffffffn), prefix);
  return { family: 4, prefix, network, text: `${range.text} (IPv4-mapped)` };
}

/**
 * The trusted proxies, asked on every guard request whether a forwarded hop is one of them.
 * Node's `BlockList.check` builds a native SocketAddress per call, which cost more than the rest
 * of the guard together, so IPv4 (nearly every hop) is answered from a PrefixMap of numbers with
 * the same answers; anything else is still asked of the BlockList.
 */
export class TrustedProxies {
  /** For multi-hop `X-Forwarded-For` and IPv6, through `clientAddress`. */
  readonly list: BlockList;
  private readonly v4 = new PrefixMap<true>();
  /** False when a value has a form only the BlockList reads: then it answers everything. */
  private readonly numeric: boolean = true;

  /** Throws InvalidCidrError naming a value that is not an address or range. */
  constructor(values: readonly string[]) {
    this.list = parseCidrList(values);
    for (const value of values) {
      const parsed = parseSource(value.trim());
      if (!parsed) {
        this.numeric = false;
        continue;
      }
      const v4 = parsed.family === 4 ? parsed : mappedIpv4Range(parsed);
      if (v4) this.v4.set(v4, true);
    }
  }

  /** Whether an IPv4 address already parsed (`parseIpv4`) is a trusted proxy. */
  includesIpv4(address: number): boolean {
    return this.numeric ? this.v4.matchIpv4(address) !== undefined : this.list.check(formatIpv4(address), 'ipv4');
  }

  includes(address: string): boolean {
    const v4 = parseIpv4(address);
    return v4 !== null ? this.includesIpv4(v4) : isTrusted(this.list, address);
  }
}
