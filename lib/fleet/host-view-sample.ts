import type { HostView } from './fleet-api';

/** A connected, healthy host as the fleet page receives it, with `over` replacing any field: for tests of what reads host lists. */
export const sampleHostView = (id: number, over: Partial<HostView> = {}): HostView => ({
  id,
  name: `h${id}`,
  labels: {},
  connected: true,
  lastSeen: '2026-12-07T02:00:00.000Z',
  disconnectedSince: null,
  healthScore: 90,
  degradation: 'NORMAL',
  defenseMode: 'NORMAL',
  revokedAt: null,
  status: null,
  ...over,
});
