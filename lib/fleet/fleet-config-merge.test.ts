import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/config-schema';
import { effectiveAssignment, hostStateOf, withAssignedParts, type AssignmentVersion } from './fleet-config-merge';

const tcp = (name: string) => ({ name, kind: 'tcp', host: '127.0.0.1', port: 9 }) as never;
const host = { id: 7, labels: { role: 'web', site: 'fra' } };

describe('the configuration a host is assigned', () => {
  const byLabel = (assignmentId: number, labels: Record<string, string>, revision: number, content: AssignmentVersion['content']): AssignmentVersion => ({
    assignmentId,
    target: { labels },
    revision,
    version: 1,
    content,
  });

  it('takes each part whole from the host-specific assignment, then the selector naming more labels, then the newest', () => {
    const assignments: AssignmentVersion[] = [
      byLabel(1, { role: 'web' }, 10, { modules: [tcp('role-new')], logSources: [] }),
      byLabel(2, { role: 'web', site: 'fra' }, 4, { modules: [tcp('role-and-site')] }),
      byLabel(3, { site: 'fra' }, 12, {
        snapshotSources: [{ name: 'site', path: '/srv', exclude: [] }],
        logSources: [{ path: '/var/log/x', format: 'sshd', patterns: [], fromStart: false }],
      }),
      { assignmentId: 4, target: { hostId: 7 }, revision: 2, version: 1, content: { integrityPaths: [{ path: '/etc', exclude: [], critical: false }] } },
      byLabel(5, { role: 'db' }, 20, { modules: [tcp('db')] }),
      { assignmentId: 6, target: { hostId: 8 }, revision: 30, version: 1, content: { modules: [tcp('other-host')] } },
    ];
    const effective = effectiveAssignment(host, assignments);
    expect(effective.parts).toEqual({
      modules: { assignmentId: 2, version: 1 },
      integrityPaths: { assignmentId: 4, version: 1 },
      // Equal specificity: the newer revision wins.
      logSources: { assignmentId: 3, version: 1 },
      snapshotSources: { assignmentId: 3, version: 1 },
    });
    expect(effective.content.modules).toEqual([tcp('role-and-site')]);
    // The highest revision among those that reach the host, whether or not it gives a part.
    expect(effective.revision).toBe(12);
    expect(effectiveAssignment({ id: 9, labels: {} }, assignments)).toEqual({ revision: 0, content: {}, parts: {} });
  });

  it('replaces only the parts assigned, leaving the rest of the file as it is', () => {
    const file = { ...defaultConfig(), modules: [tcp('from-file')] };
    file.integrity = { ...file.integrity, scanIntervalMinutes: 5, paths: [{ path: '/etc/file', exclude: [], critical: false }] };
    const merged = withAssignedParts(file, { integrityPaths: [{ path: '/etc/pushed', exclude: [], critical: true }] });
    expect(merged.modules).toEqual([tcp('from-file')]);
    expect(merged.integrity).toMatchObject({ scanIntervalMinutes: 5, paths: [{ path: '/etc/pushed', exclude: [], critical: true }] });
  });

  it('says pending until the host answers, then applied or rejected with the reason', () => {
    expect(hostStateOf(0, null)).toEqual({ state: 'none', reason: null });
    expect(hostStateOf(5, null)).toEqual({ state: 'pending', reason: null });
    expect(hostStateOf(5, { appliedRevision: 5, rejectedRevision: null, reason: null })).toEqual({ state: 'applied', reason: null });
    expect(hostStateOf(6, { appliedRevision: 5, rejectedRevision: 6, reason: 'no' })).toEqual({ state: 'rejected', reason: 'no' });
    expect(hostStateOf(7, { appliedRevision: 5, rejectedRevision: 6, reason: 'no' })).toEqual({ state: 'pending', reason: null });
  });
});
