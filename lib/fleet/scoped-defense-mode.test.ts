import { describe, expect, it } from 'vitest';
import { sampleHostView } from './host-view-sample';
import { scopedDefenseLabel, scopedDefenseMode, scopedDefenseTitle } from './scoped-defense-mode';

const host = sampleHostView;

describe("the top bar's defense mode under a host scope", () => {
  it("names a remote host with the mode of its last heartbeat, never the console's own", () => {
    const hosts = [host(1, { name: 'console' }), host(2, { name: 'edge', defenseMode: 'LOCKDOWN' })];
    const reading = scopedDefenseMode({ scope: 2, ownMode: 'NORMAL', hosts })!;
    expect(reading).toMatchObject({ kind: 'host', hostId: 2, name: 'edge', mode: 'LOCKDOWN', away: null });
    expect(scopedDefenseLabel(reading)).toEqual({ mode: 'LOCKDOWN', where: 'edge' });
    // And the other way round: the console locked down, the scoped host is not.
    expect(scopedDefenseMode({ scope: 2, ownMode: 'LOCKDOWN', hosts: [host(1), host(2)] })).toMatchObject({ mode: 'NORMAL', name: 'h2' });
  });

  it('says a disconnected host shows its last report, and an unknown or silent host an unknown mode', () => {
    const away = scopedDefenseMode({
      scope: 3,
      ownMode: 'NORMAL',
      hosts: [host(1), host(3, { connected: false, disconnectedSince: '2026-12-07T01:00:00.000Z', defenseMode: 'ELEVATED' })],
    })!;
    expect(away).toMatchObject({ mode: 'ELEVATED', away: '2026-12-07T01:00:00.000Z' });
    expect(scopedDefenseTitle(away)).toContain('disconnected since 2026-12-07T01:00:00.000Z');
    // Before the list arrives, or for an id it lacks: unknown, under the id.
    expect(scopedDefenseMode({ scope: 9, ownMode: 'LOCKDOWN', hosts: undefined })).toEqual({ kind: 'host', hostId: 9, name: 'host 9', mode: null, away: null });
    const silent = scopedDefenseMode({ scope: 4, ownMode: 'NORMAL', hosts: [host(1), host(4, { defenseMode: null })] })!;
    expect(scopedDefenseLabel(silent)).toEqual({ mode: 'unknown', where: 'h4' });
    // A row holding something that is not a mode is not shown as one.
    expect(scopedDefenseMode({ scope: 4, ownMode: 'NORMAL', hosts: [host(1), host(4, { defenseMode: 'PANIC' })] })).toMatchObject({ mode: null });
  });

  it("reads host 1 from the console's live mode, named once there is a fleet", () => {
    expect(scopedDefenseMode({ scope: 1, ownMode: 'LOCKDOWN', hosts: [host(1, { name: 'console' }), host(2)] })).toMatchObject({
      kind: 'host',
      name: 'console',
      mode: 'LOCKDOWN',
      away: null,
    });
    expect(scopedDefenseMode({ scope: 1, ownMode: 'ELEVATED', hosts: [host(1)] })).toEqual({ kind: 'own', mode: 'ELEVATED' });
  });

  it('sums all hosts by the most severe mode among them, revoked hosts left out', () => {
    const hosts = [
      host(1),
      host(2, { defenseMode: 'LOCKDOWN' }),
      host(3, { defenseMode: 'LOCKDOWN', connected: false }),
      host(4, { defenseMode: 'ELEVATED' }),
      host(5, { defenseMode: null }),
      host(6, { defenseMode: 'LOCKDOWN', revokedAt: '2026-12-07T00:00:00.000Z' }),
    ];
    const reading = scopedDefenseMode({ scope: null, ownMode: 'NORMAL', hosts })!;
    expect(reading).toEqual({ kind: 'fleet', mode: 'LOCKDOWN', count: 2, total: 5, unreported: 1, away: 1 });
    expect(scopedDefenseLabel(reading)).toEqual({ mode: 'LOCKDOWN', where: '2 of 5' });
    expect(scopedDefenseTitle(reading)).toBe('Defense mode: LOCKDOWN on 2 of 5 hosts (1 disconnected, counted by their last report; 1 not reported yet)');
    // The console's own live lockdown counts at once, before its row's next heartbeat.
    expect(scopedDefenseMode({ scope: null, ownMode: 'LOCKDOWN', hosts: [host(1), host(2)] })).toMatchObject({ mode: 'LOCKDOWN', count: 1, total: 2 });
    expect(scopedDefenseLabel(scopedDefenseMode({ scope: null, ownMode: 'NORMAL', hosts: [host(1), host(2)] })!)).toEqual({ mode: 'NORMAL', where: 'all 2' });
  });

  it('keeps the plain badge for a console without a fleet', () => {
    expect(scopedDefenseMode({ scope: null, ownMode: 'NORMAL', hosts: [host(1)] })).toEqual({ kind: 'own', mode: 'NORMAL' });
    expect(scopedDefenseMode({ scope: null, ownMode: 'LOCKDOWN', hosts: undefined })).toEqual({ kind: 'own', mode: 'LOCKDOWN' });
    expect(scopedDefenseMode({ scope: null, ownMode: null, hosts: undefined })).toBeNull();
  });
});
