import { describe, expect, it } from 'vitest';
import { moduleSchema } from './module-schema';

const http = { name: 'web', kind: 'http', url: 'http://example.test/' };
const issues = (input: unknown) => {
  const parsed = moduleSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('a module probed from several vantage points', () => {
  it('accepts hosts by name or id, labels, the console, and a quorum they can meet', () => {
    expect(issues({ ...http, vantage: { hosts: ['edge1', 3], includeConsole: true, quorum: 3 } })).toEqual([]);
    expect(issues({ name: 'db', kind: 'tcp', host: '10.0.0.2', port: 5432, vantage: { labels: { site: 'fra' }, quorum: 5 } })).toEqual([]);
    expect(issues({ ...http, kind: 'keyword', keyword: 'ok', vantage: { hosts: ['a', 'b'], quorum: 2 } })).toEqual([]);
  });

  it('refuses a quorum the named points cannot meet, a quorum below 1, and a vantage with no point at all', () => {
    expect(issues({ ...http, vantage: { hosts: ['edge1', 'edge2'], quorum: 3 } })).toEqual([
      'vantage.quorum: a quorum of 3 cannot be met by 2 vantage point(s)',
    ]);
    // The same host named twice is one vantage point.
    expect(issues({ ...http, vantage: { hosts: ['edge1', 'edge1'], quorum: 2 } })).toHaveLength(1);
    expect(issues({ ...http, vantage: { hosts: ['edge1'], quorum: 0 } })[0]).toMatch(/^vantage\.quorum:/);
    expect(issues({ ...http, vantage: { quorum: 1 } })[0]).toMatch(/^vantage\.hosts: name hosts, give labels/);
    expect(issues({ ...http, vantage: { hosts: ['edge 1'], quorum: 1 } })[0]).toMatch(/^vantage\.hosts\.0/);
    expect(issues({ ...http, vantage: { hosts: [1], quorum: 1 } })[0]).toMatch(/^vantage\.hosts\.0/);
    expect(issues({ ...http, vantage: { hosts: ['a'], quorum: 1, extra: true } })[0]).toMatch(/^vantage/);
  });

  it('is for HTTP and TCP modules only', () => {
    expect(issues({ name: 'p', kind: 'push', token: 'a'.repeat(16), vantage: { hosts: ['a'], quorum: 1 } })).not.toEqual([]);
  });
});
