import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SectionView } from '@/lib/settings/editable-sections';
import { internalToken } from '../auth/keys';
import { startWorker, type Worker } from '../worker';
import { api, createEmptyDatabase, FixedSampler, silentLogger, TEST_SECRET, waitFor, workerEnvFor, type EmptyDatabase } from '../test-support';

/**
 * Two workers on one PostgreSQL database, as HA runs them: a section saved through either is in
 * force on both at once, without a restart, and a revert on the other puts the file back on both.
 */
describe('console sections across workers on PostgreSQL', () => {
  let db: EmptyDatabase;
  let leader: Worker;
  let standby: Worker;

  const start = (node: string) =>
    startWorker({
      env: {
        ...workerEnvFor({
          dataDir: db.dir.join(node),
          databaseUrl: db.url,
          vars: { VIGIL_HA: 'true', VIGIL_NODE_ID: node, VIGIL_CONFIG: db.dir.join('vigil.config.yaml') },
        }),
        port: 0,
      },
      sampler: new FixedSampler(),
      log: silentLogger(),
    });
  const call = <T>(worker: Worker, path: string, json?: unknown) => api<T>(worker.port, `/internal/v1${path}`, { token: internalToken(TEST_SECRET), json });
  const originOn = async (worker: Worker, section: string) =>
    (await call<{ sections: SectionView[] }>(worker, '/settings')).body.sections.find((s) => s.section === section)?.origin;

  beforeAll(async () => {
    db = await createEmptyDatabase('postgresql');
    writeFileSync(db.dir.join('vigil.config.yaml'), 'logs:\n  files: []\n');
    leader = await start('node-a');
    await leader.leading;
    standby = await start('node-b');
    await waitFor(() => standby.cluster!.status().leader?.nodeId === 'node-a', { what: 'the standby knowing its leader' });
  }, 60_000);

  afterAll(async () => {
    await standby?.close();
    await leader?.close();
    await db?.destroy();
  });

  it('puts a log source saved through the standby in force on both: the leader’s tailer reads it, the standby shows it', async () => {
    const logFile = db.dir.join('auth.log');
    writeFileSync(logFile, '');
    const saved = await call<SectionView>(standby, '/settings/logs', { actor: 'user:ada', value: { files: [{ path: logFile, format: 'sshd' }] } });
    expect(saved.status).toBe(200);
    await waitFor(() => leader.logTailer.status().some((file) => file.path === logFile), { what: 'the leader following the saved log file' });
    expect(leader.config.loaded.config.logs.files.map((file) => file.path)).toEqual([logFile]);
    expect(await originOn(leader, 'logs')).toBe('console');
    // The standby handed the save to the leader; what it shows and would act on as leader comes from the announcement.
    await waitFor(async () => (await originOn(standby, 'logs')) === 'console', { what: 'the standby showing the saved section' });
    expect(standby.config.loaded.config.logs.files.map((file) => file.path)).toEqual([logFile]);
  });

  it('puts a section saved on the leader in force on the standby, and a revert there back to the file on both', async () => {
    const saved = await call<SectionView>(leader, '/settings/escalation', {
      actor: 'user:ada',
      value: { ...leader.config.loaded.config.escalation, retriesBeforeRestart: 7 },
    });
    expect(saved.status, saved.text).toBe(200);
    await waitFor(() => standby.config.loaded.config.escalation.retriesBeforeRestart === 7, { what: 'the escalation on the standby' });
    expect(await originOn(standby, 'escalation')).toBe('console');

    expect((await call(standby, '/settings/escalation/revert', { actor: 'user:ada' })).status).toBe(200);
    await waitFor(async () => (await originOn(leader, 'escalation')) === 'file', { what: 'the file’s escalation on the leader' });
    expect(leader.config.loaded.config.escalation).toEqual(leader.config.fromFile.config.escalation);
  });
});
