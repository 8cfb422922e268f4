import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/live/events';
import type { RecoveryProgress, SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import { internalToken } from '../auth/keys';
import { api, mintLiveToken, startTestWorker, TEST_SECRET, waitFor, type TestWorker } from '../test-support';
import { writeTree } from '../recovery/recovery-test-kit';
import type { RecoveryOverview, RestoreResult } from '../recovery';

let t: TestWorker;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const progress: RecoveryProgress[] = [];
const token = internalToken(TEST_SECRET);
let app: string;

beforeAll(async () => {
  t = await startTestWorker();
  app = t.db.dir.join('app');
  writeTree(app, { 'index.html': '<h1>v1</h1>', 'conf/site.conf': 'listen 80;' });
  writeFileSync(t.env.configPath, `snapshots:\n  sources:\n    - name: site\n      path: ${app}\n`);
  t.worker.config.reload();
  socket = connect(`http://127.0.0.1:${t.port}`, {
    auth: { token: await mintLiveToken({ secret: TEST_SECRET, database: t.worker.database }) },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  socket.on('recovery:progress', (update) => progress.push(update));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
});
afterAll(async () => {
  socket.disconnect();
  await t.destroy();
});

describe('worker recovery routes', () => {
  it('refuses callers without the internal token', async () => {
    expect((await api(t.port, '/internal/v1/recovery')).status).toBe(401);
    expect((await api(t.port, '/internal/v1/recovery/snapshots', { json: { actor: 'x' } })).status).toBe(401);
  });

  it('creates a snapshot with Vigil state, streams progress live, verifies and lists it', async () => {
    await t.worker.healing.defineModule(
      { name: 'site-http', kind: 'tcp', host: '127.0.0.1', port: 1, intervalSeconds: 60 },
      { id: 'a', name: 'alice', role: 'admin', kind: 'user' },
    );
    expect(
      (await api(t.port, '/internal/v1/defense/allowlist', { token, json: { actor: 'alice', source: '198.51.100.7', reason: 'office uplink' } })).status,
    ).toBe(200);
    const created = await api<SnapshotHeader>(t.port, '/internal/v1/recovery/snapshots', {
      token,
      json: { name: 'golden-1', tags: ['golden'], actor: 'alice' },
    });
    expect(created.status).toBe(200);
    // Two site files plus Vigil's state: settings, console modules, allowlist, isolations.
    expect(created.body).toMatchObject({ name: 'golden-1', files: 6, createdBy: 'alice' });
    await waitFor(() => progress.find((p) => p.operation === 'create' && p.finished));
    expect(progress.find((p) => p.operation === 'create' && p.finished)).toMatchObject({ ok: true, snapshot: 'golden-1' });
    const verified = await api<{ ok: boolean }>(t.port, '/internal/v1/recovery/snapshots/golden-1/verify', { token, json: { actor: 'alice' } });
    expect(verified.body.ok).toBe(true);
    const overview = await api<RecoveryOverview>(t.port, '/internal/v1/recovery', { token });
    expect(overview.body.snapshots.map((s) => s.name)).toEqual(['golden-1']);
    expect(overview.body.golden).toMatchObject({ newest: { name: 'golden-1' }, stale: false });
    expect(overview.body.sources).toEqual([{ name: 'site', path: app }]);
  });

  it('answers bad input with 422 naming the field, duplicates and unknown snapshots with 409 and 404', async () => {
    const bad = await api<{ error: { code: string; message: string } }>(t.port, '/internal/v1/recovery/snapshots', {
      token,
      json: { name: 'a/b', actor: 'alice' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/name/);
    expect((await api(t.port, '/internal/v1/recovery/snapshots', { token, json: { name: 'golden-1', actor: 'alice' } })).status).toBe(409);
    expect((await api(t.port, '/internal/v1/recovery/snapshots/missing/verify', { token, json: { actor: 'alice' } })).status).toBe(404);
    expect((await api(t.port, '/internal/v1/recovery/snapshots/golden-1/restore', { token, json: { actor: 'alice', reason: '' } })).status).toBe(422);
  });

  it('restores files and Vigil settings, reloading the pinned degradation level', async () => {
    writeFileSync(path.join(app, 'index.html'), '<h1>defaced</h1>');
    await api(t.port, '/internal/v1/degradation/pin', { token, json: { level: 'LEVEL_2', actor: 'alice', reason: 'pinned after the snapshot' } });
    expect(t.worker.monitor.current()?.pinnedDegradation).toBe('LEVEL_2');
    const diff = await api<{ path: string }[]>(t.port, '/internal/v1/recovery/snapshots/golden-1/diff', { token });
    expect(diff.body.map((d) => d.path)).toEqual(['site/index.html']);
    const restored = await api<RestoreResult>(t.port, '/internal/v1/recovery/snapshots/golden-1/restore', {
      token,
      json: { actor: 'alice', reason: 'defacement' },
    });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ outcome: 'restored', filesWritten: 1 });
    expect(readFileSync(path.join(app, 'index.html'), 'utf8')).toBe('<h1>v1</h1>');
    await waitFor(() => t.worker.monitor.current()?.pinnedDegradation === null);
  });

  it('brings back console modules and the allowlist with Vigil state', async () => {
    await t.worker.healing.removeModule('site-http', { id: 'a', name: 'alice', role: 'admin', kind: 'user' });
    await api(t.port, '/internal/v1/defense/allowlist/remove', { token, json: { actor: 'alice', source: '198.51.100.7', reason: 'changed our mind' } });
    expect(t.worker.defense.allowlist.match('198.51.100.7')).toBeUndefined();
    const restored = await api<RestoreResult>(t.port, '/internal/v1/recovery/snapshots/golden-1/restore', {
      token,
      json: { actor: 'alice', reason: 'undo the module removal' },
    });
    expect(restored.body.outcome).toBe('restored');
    await waitFor(() => t.worker.healing.engine.list().some((m) => m.name === 'site-http'));
    await waitFor(() => t.worker.defense.allowlist.match('198.51.100.7') !== undefined);
  });

  it('relays progress reported by a CLI run, after validating it', async () => {
    const update: RecoveryProgress = {
      operationId: 'cli-1',
      operation: 'restore',
      snapshot: 'x',
      phase: 'stage',
      filesDone: 1,
      filesTotal: 2,
      bytesDone: 10,
      bytesTotal: 20,
      etaMs: 100,
      startedAt: new Date().toISOString(),
      finished: false,
    };
    expect((await api(t.port, '/internal/v1/recovery/progress', { token, json: update })).status).toBe(202);
    await waitFor(() => progress.find((p) => p.operationId === 'cli-1'));
    expect((await api(t.port, '/internal/v1/recovery/progress', { token, json: { ...update, phase: '<script>' } })).status).toBe(422);
  });
});
