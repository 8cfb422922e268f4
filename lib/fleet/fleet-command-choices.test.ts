import { describe, expect, it } from 'vitest';
import { fleetActionRequestSchema } from './fleet-actions';
import type { FleetCommandView } from './fleet-command-api';
import {
  actionOfFields,
  commandSummary,
  confirmationPhrase,
  describeCommand,
  describeTarget,
  goldenSnapshotName,
  HOST_COMMAND_KINDS,
  kindsFor,
  SELECTION_COMMAND_KINDS,
  shownStatus,
  withCommandUpdate,
} from './fleet-command-choices';

const fields = { source: '', reason: '', durationMinutes: '', module: '', snapshot: '', name: '' };

const command = (
  hosts: Array<{ hostId: number; status: FleetCommandView['hosts'][number]['status'] }>,
  expiresAt = '2030-01-01T00:00:00.000Z',
): FleetCommandView => ({
  id: 'c1',
  kind: 'restart-module',
  action: { kind: 'restart-module', module: 'web' },
  target: { hostId: 2 },
  actor: 'user:alice',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt,
  hosts: hosts.map((host) => ({ ...host, name: `h${host.hostId}`, message: null, progress: null, updatedAt: '2026-01-01T00:00:00.000Z' })),
});

describe('the fleet page’s commands', () => {
  it('offers a viewer nothing it could send, an operator no lockdown or restore, an admin everything', () => {
    expect(kindsFor('operator', HOST_COMMAND_KINDS)).toEqual(['restart-module', 'snapshot-create']);
    expect(kindsFor('operator', SELECTION_COMMAND_KINDS)).toEqual(['isolate', 'release']);
    expect(kindsFor('admin', HOST_COMMAND_KINDS)).toEqual(HOST_COMMAND_KINDS);
  });

  it('asks to type the host’s name for a restore, and "lockdown" for a lockdown of more than one host', () => {
    expect(confirmationPhrase('snapshot-restore', { hostId: 3 }, 'fra2')).toBe('fra2');
    expect(confirmationPhrase('lockdown', { fleet: true })).toBe('lockdown');
    expect(confirmationPhrase('lockdown', { labels: { site: 'fra' } })).toBe('lockdown');
    expect(confirmationPhrase('lockdown', { hostId: 3 }, 'fra2')).toBeNull();
    expect(confirmationPhrase('isolate', { fleet: true })).toBeNull();
  });

  it('builds actions the route’s schema takes, and leaves the rest of the checking to it', () => {
    const isolate = actionOfFields('isolate', { ...fields, source: ' 203.0.113.7 ', reason: 'stuffing', durationMinutes: '30' });
    expect(isolate).toEqual({ action: { kind: 'isolate', source: '203.0.113.7', reason: 'stuffing', durationMinutes: 30 } });
    for (const [kind, typed] of [
      ['isolate', { source: '203.0.113.7', reason: 'ban' }],
      ['release', { source: '2001:db8::/64', reason: 'ban' }],
      ['restart-module', { module: 'web', reason: 'stuck' }],
      ['lockdown', { reason: 'under attack' }],
      ['lift-lockdown', { reason: 'over' }],
      ['snapshot-create', { name: 'golden-a' }],
      ['snapshot-restore', { snapshot: 'golden-a', reason: 'bad deploy' }],
    ] as const) {
      const built = actionOfFields(kind, { ...fields, ...typed });
      expect('action' in built && fleetActionRequestSchema.safeParse(built.action).success, kind).toBe(true);
    }
    expect(actionOfFields('isolate', { ...fields, reason: 'ban' })).toMatchObject({ error: expect.stringMatching(/^source: /) });
    expect(actionOfFields('isolate', { ...fields, source: '203.0.113.7', reason: 'ban', durationMinutes: '1.5' })).toMatchObject({
      error: expect.stringMatching(/^durationMinutes: /),
    });
    expect(actionOfFields('restart-module', { ...fields, reason: 'ban' })).toMatchObject({ error: expect.stringMatching(/^module: /) });
    expect(actionOfFields('snapshot-restore', { ...fields, reason: 'ban' })).toMatchObject({ error: expect.stringMatching(/^snapshot: /) });
  });

  it('names golden snapshots by host and minute, in a name the snapshot schema takes', () => {
    const name = goldenSnapshotName('fra 2/x', new Date('2026-12-07T03:04:59Z'));
    expect(name).toBe('golden-fra-2-x-20261207-0304');
    expect(fleetActionRequestSchema.safeParse({ kind: 'snapshot-create', name }).success).toBe(true);
  });

  it('describes commands and targets for the history', () => {
    expect(describeCommand({ kind: 'restart-module', action: { module: 'web' } })).toBe('Restart web');
    expect(describeCommand({ kind: 'isolate', action: { source: '203.0.113.7', until: null } })).toBe('Isolate 203.0.113.7 until released');
    expect(describeTarget({ fleet: true }, 3)).toBe('whole fleet (3)');
    expect(describeTarget({ labels: { site: 'fra' } }, 2)).toBe('site=fra');
    expect(describeTarget({ hostIds: [1, 2] }, 2)).toBe('2 hosts');
  });

  it('shows a host that never answered an expired command as expired, and counts it as failed', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    expect(shownStatus('sent', '2026-01-01T00:01:00.000Z', now)).toBe('expired');
    expect(shownStatus('succeeded', '2026-01-01T00:01:00.000Z', now)).toBe('succeeded');
    expect(shownStatus('sent', '2030-01-01T00:00:00.000Z', now)).toBe('sent');
    // Before the clock is known (the server render), nothing is called expired.
    expect(shownStatus('sent', '2026-01-01T00:01:00.000Z', 0)).toBe('sent');
    const view = command(
      [
        { hostId: 2, status: 'succeeded' },
        { hostId: 3, status: 'pending' },
        { hostId: 4, status: 'refused' },
      ],
      '2026-01-01T00:01:00.000Z',
    );
    expect(commandSummary(view, now)).toEqual({ done: 1, failed: 2, total: 3 });
  });

  it('writes a live step into the history, never over a final one, and asks for a refetch for an unknown command', () => {
    const list = [
      command([
        { hostId: 2, status: 'sent' },
        { hostId: 3, status: 'succeeded' },
      ]),
    ];
    const step = { commandId: 'c1', kind: 'restart-module', message: 'web restarted', progress: null, at: '2026-01-01T00:00:01.000Z' };
    const updated = withCommandUpdate(list, { ...step, hostId: 2, status: 'succeeded' });
    expect(updated?.[0].hosts[0]).toMatchObject({ status: 'succeeded', message: 'web restarted' });
    expect(withCommandUpdate(list, { ...step, hostId: 3, status: 'failed' })?.[0].hosts[1].status).toBe('succeeded');
    expect(withCommandUpdate(list, { ...step, commandId: 'other', hostId: 2, status: 'accepted' })).toBeNull();
  });
});
