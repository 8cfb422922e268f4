import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync } from 'node:fs';
import { internalToken } from '../auth/keys';
import { WorkerClient } from '../web/worker-client';
import { api, makeTempDir, PROVIDERS, silentLogger, startTestWorker, waitFor, workerEnvFor, type TestWorker } from '../test-support';
import { startWorker } from '../worker';
import { loadCheckpointKey } from './checkpoint-key';
import { ANCHOR_SETTING } from './audit-verifier';
import { readSetting } from '../queries/settings';

const DAY = 86_400_000;

describe.each(PROVIDERS)('audit integrity in the worker on %s', (provider) => {
  let t: TestWorker | null = null;
  afterEach(async () => {
    await t?.destroy();
    t = null;
  });

  const append = (i: number, at?: Date) =>
    t!.worker.audit.append({ type: 'test.integrity', severity: 'info', actor: 'tester', action: `act ${i}`, details: { i }, ...(at ? { at } : {}) });

  it('signs a checkpoint every N events, exports it, and verifies after it', async () => {
    t = await startTestWorker({ provider, vars: { VIGIL_AUDIT_CHECKPOINT_EVERY: '5' } });
    for (let i = 0; i < 11; i++) await append(i);
    const checkpoints = () => t!.worker.database.prisma.auditCheckpoint.findMany({ orderBy: { seq: 'asc' } });
    await waitFor(async () => (await checkpoints()).length === 2);
    // The newest committed head is signed, so a checkpoint lands at N or a little past it.
    const seqs = (await checkpoints()).map((c) => c.seq);
    expect(seqs[0]).toBe(5);
    expect(seqs[1]).toBeGreaterThanOrEqual(10);
    const exportFile = `${t.env.dataDir}/audit-checkpoints.ndjson`;
    await waitFor(() => readFileSync(exportFile, 'utf8').trim().split('\n').length === 2);
    const exported = readFileSync(exportFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; keyId: string });
    expect(exported.map((c) => c.seq)).toEqual(seqs);
    expect(exported[0].keyId).toBe(t.worker.integrity.key.keyId);
    await waitFor(async () => (await t!.worker.database.prisma.setting.findUnique({ where: { key: 'audit.verification' } })) !== null);
    // No checkpoint is an event of its own: the head stays where the appends left it.
    expect(await t.worker.database.prisma.auditEvent.count()).toBe(12);
  });

  it('signs on the timer when there were new events, and only then', async () => {
    t = await startTestWorker({ provider, vars: { VIGIL_AUDIT_CHECKPOINT_MINUTES: '0.002' } });
    await append(1);
    await waitFor(async () => (await t!.worker.database.prisma.auditCheckpoint.findFirst({ where: { seq: 2 } })) !== null);
    await t.worker.integrity.checkpointer.checkpoint(); // joins a signing still in flight, if any
    expect(await t.worker.integrity.checkpointer.checkpoint()).toBeNull();
    await append(2);
    await waitFor(async () => (await t!.worker.database.prisma.auditCheckpoint.findFirst({ where: { seq: 3 } })) !== null);
  });

  it('runs verification on POST /internal/v1/audit/verify for the web app only', async () => {
    t = await startTestWorker({ provider });
    expect((await api(t.port, '/internal/v1/audit/verify', { json: { mode: 'full' } })).status).toBe(401);
    expect((await api(t.port, '/internal/v1/audit/verify', { json: { mode: 'full' }, token: 'wrong' })).status).toBe(401);
    expect((await api(t.port, '/internal/v1/audit/public-key', { token: 'wrong' })).status).toBe(401);
    const full = await api<{ ok: boolean; mode: string }>(t.port, '/internal/v1/audit/verify', { json: { mode: 'full' }, token: internalToken(t.env.secret) });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ ok: true, mode: 'full' });
    expect((await api(t.port, '/internal/v1/audit/verify', { json: { mode: 'sideways' }, token: internalToken(t.env.secret) })).status).toBe(422);
    const client = new WorkerClient(`http://127.0.0.1:${t.port}`, t.env.secret);
    expect(await client.verifyAudit({ mode: 'incremental' })).toMatchObject({ ok: true, mode: 'incremental' });
    expect(await client.auditPublicKey()).toMatchObject({ keyId: t.worker.integrity.key.keyId, publicKeyPem: expect.stringContaining('PUBLIC KEY') });
  });

  it('prunes past the retention in housekeeping and records it', async () => {
    t = await startTestWorker({ provider, vars: { VIGIL_AUDIT_RETENTION_DAYS: '30' } });
    for (let i = 0; i < 6; i++) await append(i);
    const signed = await t.worker.integrity.checkpointer.checkpoint();
    expect(signed?.seq).toBe(7);
    await append(99);
    // Forty days on: everything was received past the 30-day retention (retention goes by the receive time).
    const outcome = await t.worker.integrity.prune(new Date(Date.now() + 40 * DAY));
    // Seq 1 (worker.started) is new, but everything before the checkpoint goes with it: one anchor covers the prefix.
    expect(outcome).toMatchObject({ pruned: 7, anchor: { seq: 7 } });
    expect(await readSetting(t.worker.database.prisma, ANCHOR_SETTING)).toMatchObject({ seq: 7 });
    await t.worker.audit.flush();
    const pruned = await t.worker.database.prisma.auditEvent.findFirst({ where: { type: 'audit.pruned' } });
    expect(JSON.parse(pruned!.details)).toMatchObject({ deleted: 7, throughSeq: 7 });
    expect(await t.worker.integrity.verify('full')).toMatchObject({ ok: true, fromSeq: 7 });
  });
});

describe('audit integrity start-up', () => {
  it('keeps forever by default and refuses a key file others can read', async () => {
    const t = await startTestWorker();
    try {
      expect(await t.worker.integrity.prune()).toBeNull();
    } finally {
      await t.destroy();
    }
    const tmp = makeTempDir();
    try {
      const keyFile = tmp.join('loose.key');
      loadCheckpointKey(keyFile, { create: true });
      chmodSync(keyFile, 0o644);
      const env = { ...workerEnvFor({ dataDir: tmp.join('data'), vars: { VIGIL_AUDIT_KEY_PATH: keyFile } }), port: 0 };
      await expect(startWorker({ env, log: silentLogger() })).rejects.toThrow(/VIGIL_AUDIT_KEY_PATH: .*mode 0644/);
    } finally {
      tmp.remove();
    }
  });
});
