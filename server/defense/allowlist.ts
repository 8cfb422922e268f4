import type { AllowlistEntry } from '@/lib/defense/defense-types';
import { parseSource, rangesOverlap, type ParsedSource } from '@/lib/defense/ip-prefix';
import { PrefixMap } from '@/lib/defense/prefix-map';

/**
 * Sources that are never isolated and pass a LOCKDOWN: those the config file declares and
 * those operators added. The file's entries are replaced on reload; operators' stay.
 */
export class Allowlist {
  private fromConfig: AllowlistEntry[] = [];
  private readonly fromUi = new Map<string, AllowlistEntry>();
  private map = new PrefixMap<AllowlistEntry>();
  private parsed: { range: ParsedSource; entry: AllowlistEntry }[] = [];
  /** Told of every rebuild, with every source now allowed. */
  watcher: ((sources: string[]) => void) | null = null;

  setConfigEntries(sources: string[]): void {
    this.fromConfig = sources.flatMap((value) => {
      const parsed = parseSource(value);
      return parsed ? [{ source: parsed.text, origin: 'config' as const, reason: null, createdBy: null, createdAt: null }] : [];
    });
    this.rebuild();
  }

  setUiEntry(entry: AllowlistEntry): void {
    this.fromUi.set(entry.source, entry);
    this.rebuild();
  }

  /** Replaces every operator entry at once (after Vigil's state was restored from a snapshot). */
  replaceUiEntries(entries: readonly AllowlistEntry[]): void {
    this.fromUi.clear();
    for (const entry of entries) this.fromUi.set(entry.source, entry);
    this.rebuild();
  }

  removeUiEntry(source: string): boolean {
    const removed = this.fromUi.delete(source);
    if (removed) this.rebuild();
    return removed;
  }

  match(address: string): AllowlistEntry | undefined {
    return this.map.match(address);
  }

  /** `match` for an IPv4 address already parsed (`parseIpv4`). */
  matchIpv4(address: number): AllowlistEntry | undefined {
    return this.map.matchIpv4(address);
  }

  /** An entry that shares any address with `range` (inside it, or holding it); a scan, for the rare isolation of a range. */
  overlapping(range: ParsedSource): AllowlistEntry | undefined {
    return this.parsed.find((candidate) => rangesOverlap(candidate.range, range))?.entry;
  }

  entries(): AllowlistEntry[] {
    return [...this.fromConfig, ...this.fromUi.values()];
  }

  private rebuild(): void {
    const map = new PrefixMap<AllowlistEntry>();
    const parsed = this.entries().map((entry) => ({ range: parseSource(entry.source)!, entry }));
    for (const { range, entry } of parsed) map.set(range, entry);
    // Swapped whole, so a guard check never sees a half-built list.
    this.map = map;
    this.parsed = parsed;
    this.watcher?.(parsed.map(({ entry }) => entry.source));
  }
}
