import { appendFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, startTestWorker, TEST_SECRET, waitFor, writeTreeFiles, type TempDir, type TestWorker } from './test-support';
import { WorkerClient } from './web/worker-client';

let dir: TempDir;
let t: TestWorker;
let client: WorkerClient;

const failed = (ip: string, i: number) =>
  `Nov 23 10:00:${String(i).padStart(2, '0')} host sshd[7]: Failed password for invalid user u${i} from ${ip} port 4000 ssh2\n`;

beforeAll(async () => {
  dir = makeTempDir('vigil-watchers-');
  writeTreeFiles(dir.path, { 'logs/auth.log': '', 'etc/app.conf': 'secure=1' });
  writeFileSync(
    dir.join('vigil.config.yaml'),
    [
      'logs:',
      '  files:',
      '    - { path: logs/auth.log, format: sshd }',
      'integrity:',
      '  realtime: true',
      '  debounceMs: 50',
      '  paths:',
      '    - { path: etc, critical: true }',
      '',
    ].join('\n'),
  );
  t = await startTestWorker({ vars: { VIGIL_CONFIG: dir.join('vigil.config.yaml') } });
  client = new WorkerClient(`http://127.0.0.1:${t.port}`, TEST_SECRET);
  await waitFor(async () => (await client.integrityStatus()).lastScan, { what: 'first integrity scan' });
});

afterAll(async () => {
  await t?.destroy();
  dir?.remove();
});

describe('log tailer and file integrity in the worker', () => {
  it('turns failed sshd lines in a tailed log into signals for the defense', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => failed('203.0.113.50', i)).join('');
    appendFileSync(dir.join('logs/auth.log'), lines);
    await waitFor(() => t.worker.logTailer.status()[0]?.signals === 10, { timeoutMs: 3000, what: '10 signals' });
    await waitFor(() => t.worker.defense.check('203.0.113.50', undefined) === 'isolated', { timeoutMs: 3000, what: 'brute force isolated' });
  });

  it('reports status over the internal API, locks down on critical tampering and re-baselines for an admin', async () => {
    const before = await client.integrityStatus();
    expect(before).toMatchObject({ enabled: true, filesWatched: 1, outstanding: 0, roots: [{ path: dir.join('etc'), critical: true }] });
    // The config file sits outside every watched root: Vigil's own code is off in tests.
    writeFileSync(dir.join('etc/app.conf'), 'secure=0');
    await waitFor(() => t.worker.defense.mode === 'LOCKDOWN', { timeoutMs: 3000, what: 'LOCKDOWN after critical tampering' });
    const after = await client.integrityStatus();
    expect(after.recentFindings[0]).toMatchObject({ kind: 'changed', critical: true, severity: 'critical', via: 'watch' });
    await expect(client.rebaselineIntegrity({ actor: 'admin', reason: 'x' })).rejects.toMatchObject({ status: 422 });
    const rebaselined = await client.rebaselineIntegrity({ actor: 'admin', reason: 'intended configuration change' });
    expect(rebaselined.outstanding).toBe(0);
  });
});
