import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIOS } from '@/lib/defense/defense-config';
import { parseConfigText } from '../config/config-file';

describe('defense configuration in the config file', () => {
  it('defaults to loopback proxies, an empty allowlist and the default scenarios', () => {
    const { config, problems } = parseConfigText('', '/tmp');
    expect(problems).toEqual([]);
    expect(config.trustedProxies).toEqual(['127.0.0.0/8', '::1/128']);
    expect(config.allowlist).toEqual([]);
    expect(config.defense.scenarios).toEqual(DEFAULT_SCENARIOS);
    expect(config.defense.isolation).toEqual({ baseHours: 4, factor: 2, maxHours: 168, widestOperatorPrefix: { ipv4: 16, ipv6: 48 } });
    expect(config.defense.elevated.threats).toBe(5);
  });

  it('names each bad address and bad field, and keeps the other sections', () => {
    const { config, problems } = parseConfigText(
      `trustedProxies: ["127.0.0.1", "10.0.0.0/33"]
allowlist: ["192.0.2.0/24", "nope"]
defense:
  scenarios:
    - { name: Bad Name, kinds: [request], capacity: 0, level: high }
snapshots: { sources: [] }
`,
      '/tmp',
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'trustedProxies.1', message: '"10.0.0.0/33" is not an IP address or CIDR range' },
        { field: 'allowlist.1', message: '"nope" is not an IP address or CIDR range' },
        expect.objectContaining({ field: 'defense.scenarios.0.name' }),
        expect.objectContaining({ field: 'defense.scenarios.0.capacity' }),
      ]),
    );
    // A bad section falls back to its defaults.
    expect(config.allowlist).toEqual([]);
    expect(config.defense.scenarios).toEqual(DEFAULT_SCENARIOS);
  });

  it('takes the widest range an operator may isolate, and names a prefix out of range', () => {
    const { config } = parseConfigText('defense:\n  isolation: { widestOperatorPrefix: { ipv4: 20 } }\n', '/tmp');
    expect(config.defense.isolation.widestOperatorPrefix).toEqual({ ipv4: 20, ipv6: 48 });
    const { problems } = parseConfigText('defense:\n  isolation: { widestOperatorPrefix: { ipv4: 33, ipv6: 48 } }\n', '/tmp');
    expect(problems).toEqual([expect.objectContaining({ field: 'defense.isolation.widestOperatorPrefix.ipv4' })]);
  });
});
