import { describe, expect, it } from 'vitest';
import { blocklistsSchema, listGraceMs } from './blocklist-config';
import { defenseConfigSchema } from './defense-config';

const problems = (value: unknown) => {
  const parsed = blocklistsSchema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe('defense.blocklists', () => {
  it('takes a file or a URL per list, with an hourly refresh by default', () => {
    const config = defenseConfigSchema.parse({
      blocklists: [
        { name: 'firehol', url: 'https://iplists.firehol.org/files/firehol_level1.netset' },
        { name: 'local', path: '/etc/vigil/denied.txt', refreshMinutes: 5 },
      ],
    });
    expect(config.blocklists.map((list) => list.refreshMinutes)).toEqual([60, 5]);
    expect(defenseConfigSchema.parse({}).blocklists).toEqual([]);
  });

  it('refuses a list with both or neither source, a relative path, another scheme or a name twice', () => {
    expect(problems([{ name: 'a', path: '/x', url: 'https://example.com/x' }])).toEqual(['give either `path` or `url`, not both']);
    expect(problems([{ name: 'a' }])).toEqual(['give either `path` or `url`, not both']);
    expect(problems([{ name: 'a', path: 'lists/x.txt' }])).toContain('must be an absolute path');
    expect(problems([{ name: 'a', url: 'ftp://example.com/x' }])).toContain('must be an http(s) URL');
    expect(problems([{ name: 'A b', path: '/x' }])).toContain('lowercase letters, digits, _ and -');
    expect(
      problems([
        { name: 'a', path: '/x' },
        { name: 'a', path: '/y' },
      ]),
    ).toEqual(['each list needs a name of its own']);
    expect(problems([{ name: 'a', path: '/x', refreshMinutes: 0 }])).toHaveLength(1);
  });

  it('keeps a list three refresh periods past its next refresh, and never less than an hour', () => {
    expect(listGraceMs(5)).toBe(3_600_000);
    expect(listGraceMs(60)).toBe(3 * 3_600_000);
  });
});
