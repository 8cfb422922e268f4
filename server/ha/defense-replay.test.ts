import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefenseDecision } from '@/lib/defense/defense-types';
import { silentLogger, type TestWorker } from '../test-support';
import { startDefenseWorker } from '../test-support/defense-worker';
import { DefenseReplay } from './defense-replay';

const announced = (id: number, source: string): DefenseDecision => ({
  id,
  source,
  scope: 'ip',
  origin: 'auto',
  scenario: 'http-flood',
  reason: 'decided by the leader',
  actor: 'system',
  offence: 1,
  createdAt: new Date().toISOString(),
  expiresAt: null,
});

// The replay on a real worker's defense (SQLite), switched to a standby for each case and back after.
describe('the defense replay of what the leader announces', () => {
  let t: TestWorker;
  beforeAll(async () => {
    t = await startDefenseWorker();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  const asStandby = async (body: (replay: DefenseReplay) => Promise<void> | void) => {
    t.worker.defense.follow(() => undefined);
    const replay = new DefenseReplay({ defense: t.worker.defense, log: silentLogger() });
    try {
      await body(replay);
    } finally {
      await t.worker.defense.lead();
    }
  };

  it('holds announcements until the state is read, then applies them in order', () =>
    asStandby((replay) => {
      replay.apply({ kind: 'decision', from: 'leader', change: 'isolated', decision: announced(800_001, '203.0.113.41') });
      replay.apply({ kind: 'decision', from: 'leader', change: 'isolated', decision: announced(800_002, '203.0.113.42') });
      replay.apply({ kind: 'decision', from: 'leader', change: 'restored', decision: announced(800_002, '203.0.113.42') });
      expect(t.worker.defense.blocklist.get('203.0.113.41')).toBeUndefined();
      replay.markLoaded();
      expect(t.worker.defense.blocklist.get('203.0.113.41')?.id).toBe(800_001);
      expect(t.worker.defense.blocklist.get('203.0.113.42')).toBeUndefined();
    }));

  it('applies what arrives during a resync after the read, so the older read never undoes it', () =>
    asStandby(async (replay) => {
      replay.markLoaded();
      const resync = replay.resync();
      // Not in the database the resync reads: applied at once, the read would drop it again.
      replay.apply({ kind: 'decision', from: 'leader', change: 'isolated', decision: announced(800_003, '203.0.113.43') });
      await resync;
      expect(t.worker.defense.blocklist.get('203.0.113.43')?.id).toBe(800_003);
    }));

  it('follows the announced mode on a standby', () =>
    asStandby((replay) => {
      replay.markLoaded();
      replay.apply({ kind: 'mode', from: 'leader', mode: 'ELEVATED', lockdown: null });
      expect(t.worker.defense.mode).toBe('ELEVATED');
    }));

  it('leaves a leader to decide alone: announced decisions change nothing there', () => {
    const replay = new DefenseReplay({ defense: t.worker.defense, log: silentLogger() });
    replay.markLoaded();
    replay.apply({ kind: 'decision', from: 'other', change: 'isolated', decision: announced(800_004, '203.0.113.44') });
    expect(t.worker.defense.blocklist.get('203.0.113.44')).toBeUndefined();
  });

  it('does not undo a decision the leader restored under a newer id', () =>
    asStandby((replay) => {
      replay.markLoaded();
      replay.apply({ kind: 'decision', from: 'leader', change: 'isolated', decision: announced(800_005, '203.0.113.45') });
      replay.apply({ kind: 'decision', from: 'leader', change: 'expired', decision: announced(800_004, '203.0.113.45') });
      expect(t.worker.defense.blocklist.get('203.0.113.45')?.id).toBe(800_005);
    }));
});
