import { describe, expect, it } from 'vitest';
import type { HostView } from './fleet-api';
import { sampleHostView } from './host-view-sample';
import { disconnectedSince, filterHostsByLabel, fleetLabels, parseFleetSort, sortHosts } from './fleet-table';

const host = sampleHostView;

const hosts = [
  host(1, { name: 'local', healthScore: 95 }),
  host(2, {
    name: 'web1',
    healthScore: 40,
    degradation: 'LEVEL_3',
    labels: { site: 'fra', role: 'web' },
    status: { risk: {}, openIncidents: 3, version: '1' },
  }),
  host(3, { name: 'db1', healthScore: null, degradation: null, labels: { site: 'ams' }, connected: false, lastSeen: '2026-12-07T01:00:00.000Z' }),
  host(4, { name: 'web2', healthScore: 40, defenseMode: 'LOCKDOWN', labels: { site: 'fra' } }),
];
const ids = (list: HostView[]) => list.map((h) => h.id);

describe('the fleet table', () => {
  it('reads its sort from the URL and falls back to worst health first', () => {
    expect(parseFleetSort('incidents', 'desc')).toEqual({ key: 'incidents', direction: 'desc' });
    expect(parseFleetSort('name', null)).toEqual({ key: 'name', direction: 'asc' });
    expect(parseFleetSort('<script>', 'sideways')).toEqual({ key: 'health', direction: 'asc' });
  });

  it('sorts by each column, unknown values first, ties in id order', () => {
    expect(ids(sortHosts(hosts, { key: 'health', direction: 'asc' }))).toEqual([3, 2, 4, 1]);
    expect(ids(sortHosts(hosts, { key: 'health', direction: 'desc' }))).toEqual([1, 2, 4, 3]);
    expect(ids(sortHosts(hosts, { key: 'name', direction: 'asc' }))).toEqual([3, 1, 2, 4]);
    expect(ids(sortHosts(hosts, { key: 'level', direction: 'desc' }))).toEqual([2, 1, 4, 3]);
    expect(ids(sortHosts(hosts, { key: 'mode', direction: 'desc' }))).toEqual([4, 1, 2, 3]);
    expect(ids(sortHosts(hosts, { key: 'incidents', direction: 'desc' }))).toEqual([2, 1, 3, 4]);
    expect(ids(sortHosts(hosts, { key: 'seen', direction: 'asc' }))).toEqual([3, 1, 2, 4]);
  });

  it('filters by one label and lists every label once', () => {
    expect(ids(filterHostsByLabel(hosts, 'site:fra'))).toEqual([2, 4]);
    expect(ids(filterHostsByLabel(hosts, 'site:nowhere'))).toEqual([]);
    expect(ids(filterHostsByLabel(hosts, null))).toEqual([1, 2, 3, 4]);
    expect(fleetLabels(hosts)).toEqual(['role:web', 'site:ams', 'site:fra']);
  });

  it('says since when a host is away, preferring the recorded time', () => {
    expect(disconnectedSince(hosts[0])).toBeNull();
    expect(disconnectedSince(hosts[2])).toBe('2026-12-07T01:00:00.000Z');
    expect(disconnectedSince({ ...hosts[2], disconnectedSince: '2026-12-07T00:59:00.000Z' })).toBe('2026-12-07T00:59:00.000Z');
  });
});
