import { describe, expect, it } from 'vitest';
import { clusterMessageSchema, NOTIFY_PAYLOAD_LIMIT, type ClusterMessageBody } from '@/lib/ha/cluster-messages';
import { MAX_COUNTS_PER_REPORT, type FleetCounts } from '@/lib/fleet/fleet-counts';
import { createLogger } from '../log';
import { FleetReplicas } from './fleet-replicas';

describe("a standby forwarding an agent's report to the leader", () => {
  it('splits the largest report into notifications that each fit NOTIFY and validate, losing no count', () => {
    const sent: ClusterMessageBody[] = [];
    const replicas = new FleetReplicas({ nodeId: 'replica-b', publish: (body) => sent.push(body), isLeader: () => false, log: createLogger('test', 'silent') });
    // The longest addresses an agent may report.
    const counts: FleetCounts['counts'] = Array.from({ length: MAX_COUNTS_PER_REPORT }, (_, i) => [
      'request',
      `2001:0db8:0000:0000:0000:ffff:${(192 + (i % 50)).toString().padStart(3, '0')}.168.${i % 256}.${i % 200}`.slice(0, 45),
      1_000_000,
    ]);
    replicas.counts(7, counts);
    expect(sent.length).toBeGreaterThan(1);
    const forwarded: FleetCounts['counts'] = [];
    for (const body of sent) {
      const payload = JSON.stringify({ ...body, from: 'replica-b' });
      expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(NOTIFY_PAYLOAD_LIMIT);
      const message = clusterMessageSchema.parse(JSON.parse(payload));
      if (message.kind !== 'fleet-counts') throw new Error(`unexpected ${message.kind}`);
      expect(message.hostId).toBe(7);
      forwarded.push(...message.counts);
    }
    expect(forwarded).toEqual(counts);
  });
});
