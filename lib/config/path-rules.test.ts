import { describe, expect, it } from 'vitest';
import { integrityConfigSchema } from './integrity-config';
import { logsConfigSchema } from './logs-config';
import { normalisePath } from './path-rules';
import { hasNestedUnboundedRepeat } from './regex-safety';
import { snapshotsConfigSchema } from './snapshots-config';

const problems = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success ? [] : result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('paths the file and the console both refuse', () => {
  it('normalises before judging, so /proc/../ and //dev are seen for what they are', () => {
    expect(normalisePath('/srv//app/./conf/../data/')).toBe('/srv/app/data');
    expect(normalisePath('/proc/..')).toBe('/');
    expect(normalisePath('/../../')).toBe('/');
    expect(normalisePath('relative/../x')).toBe('x');
  });

  it('refuses the whole file system and kernel trees as integrity paths, naming the field', () => {
    for (const path of ['/', '//', '/proc', '/proc/self', '/sys/kernel', '/dev', '/srv/..', '/*', '/**/*.conf'])
      expect(problems(integrityConfigSchema.safeParse({ paths: [{ path }] })), path).toEqual([expect.stringMatching(/^paths\.0\.path: must not be/)]);
    for (const path of ['/etc/nginx', '/etc/nginx/**/*.conf', '/srv/app', 'relative/dir', '/devices', '/process'])
      expect(problems(integrityConfigSchema.safeParse({ paths: [{ path }] })), path).toEqual([]);
  });

  it('refuses / and kernel trees as snapshot sources', () => {
    expect(problems(snapshotsConfigSchema.safeParse({ sources: [{ name: 'all', path: '/' }] }))).toEqual([
      'sources.0.path: must not be / (the whole file system): name the directories that matter',
    ]);
    expect(problems(snapshotsConfigSchema.safeParse({ sources: [{ name: 'p', path: '/proc/1' }] }))).toHaveLength(1);
    expect(problems(snapshotsConfigSchema.safeParse({ sources: [{ name: 'site', path: '/srv/www' }] }))).toEqual([]);
  });

  it('refuses device and kernel files as log files', () => {
    expect(problems(logsConfigSchema.safeParse({ files: [{ path: '/dev/zero', format: 'combined' }] }))).toEqual([
      'files.0.path: must not be under /dev: only regular log files are read',
    ]);
    expect(problems(logsConfigSchema.safeParse({ files: [{ path: '/proc/kmsg', format: 'combined' }] }))).toHaveLength(1);
    expect(problems(logsConfigSchema.safeParse({ files: [{ path: '/var/log/nginx/access.log', format: 'combined' }] }))).toEqual([]);
  });
});

describe('custom log patterns that could stall the reader', () => {
  it('finds a repeated group that itself repeats without bound', () => {
    for (const source of ['(a+)+', '(\\w*)*', '(?<source>\\S+)+x', '((ab)+)*', '(x|y+){2,}', '(?:a[+]b+)+'])
      expect(hasNestedUnboundedRepeat(source), source).toBe(true);
    for (const source of ['(\\d+\\.){3}\\d+', '(?<source>\\S+) (?<user>\\w+)', '[(a+)]+', '\\(a+\\)+', 'a+b*', '(ab)+', '(a+)?'])
      expect(hasNestedUnboundedRepeat(source), source).toBe(false);
  });

  it('gives the schema message under the regex field', () => {
    const file = (regex: string) => ({ files: [{ path: '/var/log/app.log', format: 'custom', patterns: [{ kind: 'custom', regex }] }] });
    expect(problems(logsConfigSchema.safeParse(file('(?<source>(\\d+)+)')))).toEqual([
      expect.stringMatching(/^files\.0\.patterns\.0\.regex: repeats a group that itself repeats without bound/),
    ]);
    expect(problems(logsConfigSchema.safeParse(file('(?<source>[')))).toEqual(['files.0.patterns.0.regex: is not a valid regular expression']);
    expect(problems(logsConfigSchema.safeParse(file('from (?<source>\\S+) port \\d+')))).toEqual([]);
  });
});
