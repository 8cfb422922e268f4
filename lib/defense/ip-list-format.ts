import { intervalOfSource, mergeIntervals, type FamilyIntervals, type Interval } from './ip-intervals';
import { parseSource } from './ip-prefix';

/**
 * What one list may hold. The largest public lists (FireHOL level 4, Spamhaus, the Tor exit
 * list) stay well under 300,000 entries and 10 MiB; past these limits a source is broken or
 * hostile, and refusing it keeps a worker's memory and its guard's latency predictable.
 */
export interface IpListLimits {
  maxBytes: number;
  maxEntries: number;
  maxLineLength: number;
}

export const IP_LIST_LIMITS: IpListLimits = { maxBytes: 64 * 1024 * 1024, maxEntries: 1_000_000, maxLineLength: 1024 };

export class IpListFormatError extends Error {}

export interface ParsedIpList extends FamilyIntervals {
  /** Addresses and ranges as listed, before merging. */
  entries: number;
}

/** Comments start with `#` (FireHOL, plain lists) or `;` (Spamhaus DROP); the rest of the line is one entry. */
function entryOf(line: string): string {
  let end = line.length;
  const hash = line.indexOf('#');
  if (hash >= 0) end = hash;
  const semicolon = line.indexOf(';');
  if (semicolon >= 0 && semicolon < end) end = semicolon;
  return (end === line.length ? line : line.slice(0, end)).trim();
}

/**
 * Reads a list of addresses and CIDR ranges (v4 and v6, FireHOL `.netset` included) as it
 * arrives, chunk by chunk, so a source that breaks a limit is refused before it is read whole.
 * Any line that is not an address, a range, a comment or blank refuses the whole list: a
 * half-understood list is not one to enforce.
 */
export class IpListParser {
  private readonly v4: Interval<number>[] = [];
  private readonly v6: Interval<bigint>[] = [];
  private rest = '';
  private line = 0;
  private bytes = 0;
  private seenContent = false;

  constructor(private readonly limits: IpListLimits = IP_LIST_LIMITS) {}

  get entries(): number {
    return this.v4.length + this.v6.length;
  }

  /** `byteLength`: the chunk's size as received (lists are ASCII, where it equals the length). */
  push(chunk: string, byteLength = chunk.length): void {
    this.bytes += byteLength;
    if (this.bytes > this.limits.maxBytes) throw new IpListFormatError(`the list is larger than ${this.limits.maxBytes / 1024 / 1024} MiB`);
    const text = this.rest + chunk;
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      this.take(text.slice(start, newline));
      start = newline + 1;
    }
    this.rest = text.slice(start);
    if (this.rest.length > this.limits.maxLineLength)
      throw new IpListFormatError(`line ${this.line + 1} is longer than ${this.limits.maxLineLength} characters`);
  }

  end(): ParsedIpList {
    if (this.rest !== '') this.take(this.rest);
    this.rest = '';
    return { entries: this.entries, v4: mergeIntervals(this.v4), v6: mergeIntervals(this.v6) };
  }

  private take(raw: string): void {
    this.line++;
    if (raw.length > this.limits.maxLineLength) throw new IpListFormatError(`line ${this.line} is longer than ${this.limits.maxLineLength} characters`);
    const entry = entryOf(raw);
    if (entry === '') return;
    // An error page or a captive portal instead of the list: say so rather than "line 1 is malformed".
    if (!this.seenContent && entry.startsWith('<')) throw new IpListFormatError('the source answered with an HTML page, not a list of addresses');
    this.seenContent = true;
    const source = parseSource(entry);
    if (!source) throw new IpListFormatError(`line ${this.line}: "${entry.slice(0, 80)}" is not an IP address or CIDR range`);
    if (this.entries >= this.limits.maxEntries) throw new IpListFormatError(`the list has more than ${this.limits.maxEntries.toLocaleString('en')} entries`);
    if (source.family === 4) this.v4.push(intervalOfSource(source) as Interval<number>);
    else this.v6.push(intervalOfSource(source) as Interval<bigint>);
  }
}

/** A whole text at once (tests, small files). */
export function parseIpList(text: string): ParsedIpList {
  const parser = new IpListParser();
  parser.push(text);
  return parser.end();
}
