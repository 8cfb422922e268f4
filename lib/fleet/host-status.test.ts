import { describe, expect, it } from 'vitest';
import { fleetHeartbeatSchema } from './fleet-api';
import { HEARTBEAT_GOLDEN_SNAPSHOTS, HEARTBEAT_MODULES, parseHostStatus, riskByKind, statusOfHeartbeat } from './host-status';

const beat = { healthScore: 91, degradation: 'NORMAL', defenseMode: 'NORMAL' } as const;

describe('the heartbeat status a host reports to the fleet', () => {
  it('folds subsystems into the worst risk of each kind', () => {
    expect(
      riskByKind([
        { kind: 'module', risk: 12 },
        { kind: 'module', risk: 64.4 },
        { kind: 'disk', risk: 3 },
      ]),
    ).toEqual({ module: 64, disk: 3 });
    expect(riskByKind([])).toEqual({});
  });

  it('accepts a full heartbeat and one from an agent that sends no status yet', () => {
    const full = { ...beat, risk: { host: 10, backups: null }, openIncidents: 2, version: '0.1.0' };
    expect(fleetHeartbeatSchema.parse(full)).toEqual(full);
    expect(statusOfHeartbeat(fleetHeartbeatSchema.parse(full))).toEqual({ risk: { host: 10, backups: null }, openIncidents: 2, version: '0.1.0' });
    expect(statusOfHeartbeat(fleetHeartbeatSchema.parse(beat))).toBeNull();
  });

  it('carries the modules and golden snapshots an operator may restart or restore, bounded and named as anywhere else', () => {
    const withLists = { ...beat, risk: {}, openIncidents: 0, version: '0.1.0', modules: ['web', 'db'], goldenSnapshots: ['golden-1'] };
    expect(statusOfHeartbeat(fleetHeartbeatSchema.parse(withLists))).toMatchObject({ modules: ['web', 'db'], goldenSnapshots: ['golden-1'] });
    const refused = [
      { ...withLists, modules: ['../etc'] },
      { ...withLists, modules: Array.from({ length: HEARTBEAT_MODULES + 1 }, (_, i) => `m${i}`) },
      { ...withLists, goldenSnapshots: Array.from({ length: HEARTBEAT_GOLDEN_SNAPSHOTS + 1 }, (_, i) => `g${i}`) },
      { ...withLists, goldenSnapshots: [''] },
    ];
    for (const body of refused) expect(fleetHeartbeatSchema.safeParse(body).success).toBe(false);
  });

  it('refuses unknown subsystems, unbounded numbers, odd versions and extra fields', () => {
    const refused = [
      { ...beat, risk: { kitchen: 5 }, openIncidents: 0, version: '1' },
      { ...beat, risk: { host: 101 }, openIncidents: 0, version: '1' },
      { ...beat, risk: {}, openIncidents: -1, version: '1' },
      { ...beat, risk: {}, openIncidents: 0, version: '<script>' },
      { ...beat, risk: {}, openIncidents: 0, version: 'x'.repeat(41) },
      { ...beat, extra: true },
    ];
    for (const body of refused) expect(fleetHeartbeatSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
  });

  it('reads a stored status back, and a damaged one as none', () => {
    expect(parseHostStatus('{"risk":{"disk":7},"openIncidents":1,"version":"0.1.0"}')).toEqual({ risk: { disk: 7 }, openIncidents: 1, version: '0.1.0' });
    expect(parseHostStatus('{"risk":')).toBeNull();
    expect(parseHostStatus('{"risk":{},"openIncidents":"many","version":"1"}')).toBeNull();
    expect(parseHostStatus(null)).toBeNull();
  });
});
