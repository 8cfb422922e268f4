// A quick syntax check the browser can run without node:net; the worker's 422 is the authority
// (it also refuses host bits and leading zeros it cannot read unambiguously).

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;

function isIpv6Like(text: string): boolean {
  if (!IPV6.test(text) || !text.includes(':') || text.includes(':::')) return false;
  const compressions = text.split('::').length - 1;
  const groups = text.split(':').filter(Boolean);
  return compressions <= 1 && groups.length <= 8 && groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g) || IPV4.test(g));
}

/** Null when `text` looks like an IP address or CIDR range, else what is wrong with it. */
export function sourceSyntaxProblem(text: string): string | null {
  const value = text.trim();
  if (!value) return 'enter an IP address or a CIDR range';
  const [address, prefix, extra] = value.split('/');
  if (extra !== undefined) return `${value} is not an IP address or CIDR range`;
  const v4 = IPV4.test(address);
  if (!v4 && !isIpv6Like(address)) return `${address} is not an IP address`;
  if (prefix === undefined) return null;
  const max = v4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `/${prefix} is not a prefix length (0-${max})`;
  return null;
}
