import { parseSource, type ParsedSource } from '@/lib/defense/ip-prefix';
import { PrefixMap } from '@/lib/defense/prefix-map';

interface Entry {
  parsed: ParsedSource;
  expiresAtMs: number;
}

/**
 * The guard process's copy of the decisions in force: source → expiry, nothing else. The worker
 * announces every expiry; comparing the time here as well keeps an expired ban from outliving
 * its end when the worker is late or gone.
 */
export class DecisionTable {
  private readonly map = new PrefixMap<Entry>();
  private readonly bySource = new Map<string, Entry>();

  get size(): number {
    return this.bySource.size;
  }

  set(source: string, expiresAtMs: number): void {
    const parsed = parseSource(source);
    // The worker stored it after validating it; a source that no longer parses cannot match anything.
    if (!parsed) return;
    this.delete(source);
    const entry = { parsed, expiresAtMs };
    this.map.set(parsed, entry);
    this.bySource.set(source, entry);
  }

  delete(source: string): void {
    const entry = this.bySource.get(source);
    if (!entry) return;
    this.bySource.delete(source);
    this.map.delete(entry.parsed);
  }

  clear(): void {
    this.map.clear();
    this.bySource.clear();
  }

  matches(address: string, now: number): boolean {
    const entry = this.map.match(address);
    return entry !== undefined && entry.expiresAtMs > now;
  }

  matchesIpv4(address: number, now: number): boolean {
    const entry = this.map.matchIpv4(address);
    return entry !== undefined && entry.expiresAtMs > now;
  }
}
