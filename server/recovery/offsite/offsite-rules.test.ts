import { describe, expect, it } from 'vitest';
import { offsiteListSchema, offsiteRepositorySchema } from '@/lib/config/offsite-config';
import { offsiteDue } from './offsite-scheduler';
import { redactRepository, resticFailure } from './restic-failure';
import { parseBackupLine, parseForget, parseSnapshotList } from './restic-output';

const repo = (extra: object = {}) => offsiteRepositorySchema.parse({ name: 'r', repository: '/srv/restic', passwordFile: '/etc/vigil/restic.pw', ...extra });

describe('off-site configuration', () => {
  it('takes the password from exactly one of a file or a variable, never from the config', () => {
    expect(repo().schedule).toEqual({ checkEveryHours: 24, readDataSubset: '5%' });
    const both = offsiteRepositorySchema.safeParse({ name: 'r', repository: '/x', passwordFile: '/p', passwordEnv: 'P' });
    expect(both.error?.issues[0]).toMatchObject({ path: ['passwordFile'], message: 'give exactly one of passwordFile or passwordEnv' });
    expect(offsiteRepositorySchema.safeParse({ name: 'r', repository: '/x' }).success).toBe(false);
    expect(offsiteRepositorySchema.safeParse({ name: 'r', repository: '/x', passwordEnv: 'P', password: 'secret' }).success).toBe(false);
    expect(offsiteRepositorySchema.safeParse({ name: 'r', repository: '--help', passwordEnv: 'P' }).success).toBe(false);
    expect(offsiteRepositorySchema.safeParse({ name: 'r', repository: '/x', passwordEnv: 'P', schedule: { readDataSubset: '5%; rm -rf' } }).success).toBe(
      false,
    );
    expect(offsiteRepositorySchema.safeParse({ name: 'r', repository: '/x', passwordEnv: 'P', keep: {} }).success).toBe(false);
    expect(offsiteListSchema.safeParse([repo(), repo()]).error?.issues[0].message).toBe('each off-site repository needs its own name');
  });
});

describe('restic failures and output', () => {
  it('masks a credential in a repository string', () => {
    expect(redactRepository('rest:https://vigil:s3cret@backup.example:8000/repo')).toBe('rest:https://vigil:***@backup.example:8000/repo');
  });

  it('names the fault and the repository', () => {
    const failure = (stderr: string, signal: NodeJS.Signals | null = null) => resticFailure({ repoName: 'r', action: 'copy of a', stderr, code: 1, signal });
    expect(failure('Fatal: wrong password or no key found\n').code).toBe('offsite_password');
    expect(failure('Fatal: unable to save snapshot: write /srv/x: no space left on device').code).toBe('offsite_full');
    expect(failure('subprocess ssh: ssh: connect to host x port 22: Connection refused').code).toBe('offsite_unreachable');
    expect(failure('', 'SIGKILL').message).toBe('copy of a to off-site repository r was interrupted (restic killed by SIGKILL); nothing was changed');
    expect(failure('Fatal: something new\n{"message_type":"status"}').message).toBe(
      'copy of a: restic failed on off-site repository r with exit code 1 (Fatal: something new)',
    );
  });

  it('reads backup progress, snapshot lists and retention plans, ignoring what is not Vigil', () => {
    expect(parseBackupLine('{"message_type":"status","files_done":2,"bytes_done":6}')).toMatchObject({ kind: 'status', status: { files_done: 2 } });
    expect(parseBackupLine('{"message_type":"summary","snapshot_id":"abc12345"}')).toEqual({ kind: 'summary', snapshotId: 'abc12345', dataAdded: 0 });
    expect(parseBackupLine('not json')).toBeNull();
    const snap = (id: string, tags: string[] | null, time = '2026-12-01T00:00:00Z') => ({ id, time, tags });
    const listed = parseSnapshotList(
      'r',
      JSON.stringify([
        snap('1', ['vigil', 'vigil-id:a', 'vigil-name:old']),
        snap('2', ['vigil', 'vigil-id:b', 'vigil-name:new'], '2026-12-02T00:00:00Z'),
        snap('3', null),
        snap('4', ['other']),
      ]),
    );
    expect(listed.map((c) => c.snapshotName)).toEqual(['new', 'old']);
    const plan = parseForget(
      'r',
      `${JSON.stringify([{ keep: [snap('2', ['vigil', 'vigil-id:b', 'vigil-name:new'])], remove: [snap('1', ['vigil', 'vigil-id:a', 'vigil-name:old'])] }])}\n`,
    );
    expect({ keep: plan.keep.map((c) => c.snapshotName), remove: plan.remove.map((c) => c.snapshotName) }).toEqual({ keep: ['new'], remove: ['old'] });
    expect(parseForget('r', '')).toEqual({ keep: [], remove: [] });
  });
});

describe('the off-site schedule', () => {
  it('is due by the times recorded, so a restart does not reset it', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    const repos = [repo({ name: 'a', schedule: { copyEveryHours: 6, checkEveryHours: 24 } }), repo({ name: 'b' })];
    expect(offsiteDue(repos, [], now)).toEqual([
      { repo: 'a', copy: true, check: true },
      { repo: 'b', copy: false, check: true },
    ]);
    const recent = [
      { repo: 'a', lastCopyAt: '2026-12-06T09:00:00Z', lastCheckAt: '2026-12-05T11:00:00Z' },
      { repo: 'b', lastCopyAt: null, lastCheckAt: '2026-12-06T11:00:00Z' },
    ];
    expect(offsiteDue(repos, recent, now)).toEqual([
      { repo: 'a', copy: false, check: true },
      { repo: 'b', copy: false, check: false },
    ]);
  });
});
