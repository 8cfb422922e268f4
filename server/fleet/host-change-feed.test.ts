import { describe, expect, it } from 'vitest';
import type { FleetHostsChanged } from '@/lib/fleet/host-status';
import { waitFor } from '../test-support';
import { HostChangeFeed } from './host-change-feed';

describe('the fleet page live feed', () => {
  it('announces many changes in one interval as one event naming each host once', async () => {
    const sent: FleetHostsChanged[] = [];
    const feed = new HostChangeFeed((change) => sent.push(change), 50);
    for (const hostId of [3, 1, 3, 2, 3]) feed.changed(hostId);
    await waitFor(() => sent.length === 1, { what: 'the first event' });
    expect(sent[0]).toEqual({ hostIds: [1, 2, 3] });
    feed.changed(4);
    await waitFor(() => sent.length === 2, { what: 'the second event' });
    expect(sent[1]).toEqual({ hostIds: [4] });
    feed.changed(5);
    feed.stop();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(sent).toHaveLength(2);
  });
});
