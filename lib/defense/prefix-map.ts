import { maskIpv6, parseIpv4, parseSource, V4_MASKS, type ParsedSource } from './ip-prefix';

/**
 * IPv4 networks are keyed as signed 32-bit integers: V8 keeps those as small integers, while the
 * unsigned form of every address from 128.0.0.0 up is a heap number, allocated on each lookup.
 */
const v4Key = (network: number, prefix: number): number => network & V4_MASKS[prefix];

/**
 * Addresses and CIDR ranges bucketed by prefix length: an exact address is one Map lookup,
 * and an address is matched against every range with at most one lookup per prefix length
 * in use (typically a handful), whatever the number of entries.
 */
export class PrefixMap<T> {
  private readonly v4 = new Map<number, Map<number, T>>();
  private readonly v6 = new Map<number, Map<bigint, T>>();
  /** Prefix lengths in use, most specific first, so the narrowest match wins. */
  private v4Prefixes: number[] = [];
  private v6Prefixes: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  set(source: ParsedSource, value: T): void {
    const table = this.table(source, true)!;
    const key = keyOf(source);
    if (!table.has(key)) this.count++;
    table.set(key, value);
  }

  get(source: ParsedSource): T | undefined {
    return this.table(source, false)?.get(keyOf(source));
  }

  delete(source: ParsedSource): boolean {
    const table = this.table(source, false);
    if (!table?.delete(keyOf(source))) return false;
    this.count--;
    if (table.size === 0) {
      if (source.family === 4) {
        this.v4.delete(source.prefix);
        this.v4Prefixes = this.v4Prefixes.filter((p) => p !== source.prefix);
      } else {
        this.v6.delete(source.prefix);
        this.v6Prefixes = this.v6Prefixes.filter((p) => p !== source.prefix);
      }
    }
    return true;
  }

  /** The most specific entry covering `address` (text as it comes from a socket or header). */
  match(address: string): T | undefined {
    const v4 = parseIpv4(address);
    if (v4 !== null) return this.matchIpv4(v4);
    if (this.v6Prefixes.length === 0 && this.v4Prefixes.length === 0) return undefined;
    const parsed = parseSource(address);
    if (!parsed || parsed.prefix !== (parsed.family === 4 ? 32 : 128)) return undefined;
    if (parsed.family === 4) return this.matchIpv4(parsed.network as number);
    for (const prefix of this.v6Prefixes) {
      const hit = this.v6.get(prefix)!.get(maskIpv6(parsed.network as bigint, prefix));
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  /** `match` for an IPv4 address already parsed (`parseIpv4`): the guard parses once per request. */
  matchIpv4(address: number): T | undefined {
    const prefixes = this.v4Prefixes;
    for (let i = 0; i < prefixes.length; i++) {
      const prefix = prefixes[i];
      const hit = this.v4.get(prefix)!.get(v4Key(address, prefix));
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  clear(): void {
    this.v4.clear();
    this.v6.clear();
    this.v4Prefixes = [];
    this.v6Prefixes = [];
    this.count = 0;
  }

  private table(source: ParsedSource, create: boolean): Map<number | bigint, T> | undefined {
    const tables = (source.family === 4 ? this.v4 : this.v6) as Map<number, Map<number | bigint, T>>;
    let table = tables.get(source.prefix);
    if (!table && create) {
      table = new Map();
      tables.set(source.prefix, table);
      if (source.family === 4) this.v4Prefixes = [...this.v4Prefixes, source.prefix].sort((a, b) => b - a);
      else this.v6Prefixes = [...this.v6Prefixes, source.prefix].sort((a, b) => b - a);
    }
    return table;
  }
}

const keyOf = (source: ParsedSource): number | bigint => (source.family === 4 ? v4Key(source.network as number, source.prefix) : source.network);
