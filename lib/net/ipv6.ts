/**
 * IPv6 parsing without node:net, so the browser bundle can share it. Accepts the forms people
 * meet in logs: full, compressed (`::`), with a dotted IPv4 tail, with a zone (`%eth0`).
 */
export interface Ipv6Address {
  /** The eight 16-bit groups, `::` expanded. */
  groups: number[];
  /** The dotted tail of an IPv4-mapped address (`::ffff:a.b.c.d`), else null. */
  mappedV4: string | null;
}

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const DOTTED_V4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function parseGroups(part: string): number[] | null {
  if (part === '') return [];
  const groups = part.split(':');
  return groups.every((group) => HEX_GROUP.test(group)) ? groups.map((group) => parseInt(group, 16)) : null;
}

export function parseIpv6(text: string): Ipv6Address | null {
  const address = text.replace(/%[0-9a-z_.-]+$/i, '');
  let head = address;
  let tail: number[] = [];
  let dotted: string | null = null;
  const lastColon = address.lastIndexOf(':');
  if (lastColon >= 0 && address.slice(lastColon + 1).includes('.')) {
    dotted = address.slice(lastColon + 1);
    if (!DOTTED_V4.test(dotted)) return null;
    const [a, b, c, d] = dotted.split('.').map(Number);
    tail = [(a << 8) | b, (c << 8) | d];
    // Keep the colon of `::` in `::1.2.3.4`; a lone `:` before the dotted part belongs to it.
    head = address.slice(0, address.endsWith(`::${dotted}`) ? lastColon + 1 : lastColon);
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const left = parseGroups(halves[0]);
  const right = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!left || !right) return null;
  const explicit = left.length + right.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    if (explicit > 7) return null;
    groups = [...left, ...new Array<number>(8 - explicit).fill(0), ...right, ...tail];
  } else {
    if (explicit !== 8) return null;
    groups = [...left, ...tail];
  }
  const mapped = dotted !== null && groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  return { groups, mappedV4: mapped ? dotted : null };
}
