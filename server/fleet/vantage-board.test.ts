import { describe, expect, it } from 'vitest';
import type { Vantage } from '@/lib/healing/vantage-schema';
import { selectVantageHosts } from '@/lib/healing/vantage-select';
import { VantageBoard, verdictAsProbe, type VantageVote } from './vantage-board';

const POINTS = [
  { hostId: 2, name: 'edge1' },
  { hostId: 3, name: 'edge2' },
  { hostId: 4, name: 'edge3' },
];
const STALE_MS = 2000;
const vote = (status: VantageVote['status'], receivedAt: number, sentAt = receivedAt): VantageVote => ({
  status,
  latencyMs: status === 'up' ? 5 : null,
  error: status === 'down' ? 'connection refused' : null,
  kind: status === 'down' ? 'connection_refused' : null,
  receivedAt,
  sentAt,
});

function boardWith(statuses: Array<VantageVote['status'] | null>, at = 1000): VantageBoard {
  const board = new VantageBoard();
  statuses.forEach((status, i) => status && board.record('web', POINTS[i].hostId, vote(status, at)));
  return board;
}

describe('the quorum of vantage points', () => {
  it('is down only when the quorum sees it down; fewer is a problem of those points', () => {
    expect(boardWith(['up', 'up', 'up']).summary('web', POINTS, 2, STALE_MS, 1500).verdict).toBe('up');
    const partial = boardWith(['down', 'up', 'up']).summary('web', POINTS, 2, STALE_MS, 1500);
    expect(partial.verdict).toBe('partial');
    expect(verdictAsProbe(partial, 'connection_refused')).toMatchObject({ ok: true, message: 'degraded: down from edge1 (1 of 3, quorum 2)', latencyMs: 5 });
    const down = boardWith(['down', 'down', 'up']).summary('web', POINTS, 2, STALE_MS, 1500);
    expect(down.verdict).toBe('down');
    expect(verdictAsProbe(down, 'connection_refused')).toMatchObject({ ok: false, finding: { kind: 'connection_refused' } });
  });

  it('counts a stale or missing vote as unknown, never as down', () => {
    const board = boardWith(['down', 'down', 'up'], 1000);
    const later = board.summary('web', POINTS, 2, STALE_MS, 1000 + STALE_MS + 1);
    expect(later.points.map((point) => point.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(later.verdict).toBe('unknown');
    board.record('web', 4, vote('up', 4000));
    expect(board.summary('web', POINTS, 2, STALE_MS, 4000).verdict).toBe('up');
  });

  it('drops a disconnected host’s vote and ignores a replayed answer', () => {
    const board = boardWith(['down', 'down', 'up']);
    board.forgetHost(3);
    expect(board.summary('web', POINTS, 2, STALE_MS, 1500).verdict).toBe('partial');
    expect(board.record('web', 2, vote('up', 1200, 1000))).toBe(false);
    expect(board.summary('web', POINTS, 2, STALE_MS, 1500).points[0].status).toBe('down');
  });

  it('meets a quorum larger than the points selected when all of them see it down', () => {
    const summary = boardWith(['down', 'down']).summary('web', POINTS.slice(0, 2), 3, STALE_MS, 1500);
    expect(summary).toMatchObject({ verdict: 'down', quorum: 2 });
  });

  it('selects agents by name, id or every label, never the console', () => {
    const hosts: Array<{ id: number; name: string; labels: Record<string, string> }> = [
      { id: 1, name: 'console', labels: { site: 'fra' } },
      { id: 2, name: 'edge1', labels: { site: 'fra', role: 'web' } },
      { id: 3, name: 'edge2', labels: { site: 'ams' } },
      { id: 4, name: 'edge3', labels: { site: 'fra' } },
    ];
    const ids = (vantage: Vantage) => selectVantageHosts(vantage, hosts).map((host) => host.id);
    expect(ids({ hosts: ['edge2', 4], includeConsole: false, quorum: 1 })).toEqual([3, 4]);
    expect(ids({ hosts: [], labels: { site: 'fra' }, includeConsole: true, quorum: 1 })).toEqual([2, 4]);
    expect(ids({ hosts: [], labels: { site: 'fra', role: 'web' }, includeConsole: false, quorum: 1 })).toEqual([2]);
    expect(ids({ hosts: ['console'], includeConsole: false, quorum: 1 })).toEqual([]);
  });
});
