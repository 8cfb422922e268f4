import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotsConfigSchema } from '@/lib/config/config-schema';
import type { AuditEventInput } from '@/lib/audit/types';
import { makeTempDir, rejectionOf, type TempDir } from '../../test-support';
import { RecoveryError } from '../recovery-error';
import { RecoveryService } from '../recovery-service';
import { initRepository, repoConfig, resticChildren } from '../../test-support/restic';

let tmp: TempDir;

beforeEach(() => {
  tmp = makeTempDir('vigil-offsite-kill-');
});
afterEach(() => tmp.remove());

describe('a copy killed halfway', () => {
  it('is reported and audited, leaves no snapshot and no bundle behind, and the next copy and check succeed', async () => {
    // Random bytes neither compress nor deduplicate: restic is still uploading when it is killed.
    writeFileSync(tmp.join('big.bin'), randomBytes(48 << 20));
    const repo = repoConfig({ name: 'local', repository: tmp.join('repo'), passwordFile: tmp.join('pw') });
    initRepository(repo, 'pw');
    const audit: AuditEventInput[] = [];
    let killed = 0;
    const service = new RecoveryService({
      dataDir: tmp.join('data'),
      config: () => snapshotsConfigSchema.parse({ includeVigilState: false, sources: [{ name: 'big', path: tmp.join('big.bin') }], offsite: [repo] }),
      state: null,
      audit: { append: async (event) => void audit.push(event) },
      searchPath: '/usr/local/bin:/usr/bin:/bin',
      onProgress: (progress) => {
        // restic reports bytes it has read: it is mid-copy. SIGKILL, as a crash or an OOM kill would.
        if (killed === 0 && progress.operation === 'offsite-copy' && progress.phase === 'upload' && progress.bytesDone > 0) {
          for (const pid of resticChildren()) {
            process.kill(pid, 'SIGKILL');
            killed += 1;
          }
        }
      },
    });
    await service.create({ name: 'big', tags: ['manual'], actor: 'alice' });
    const error = await rejectionOf(service.offsite.copy({ ref: 'big', to: 'local', actor: 'alice' }), RecoveryError);
    expect(killed).toBe(1);
    expect(error).toMatchObject({
      code: 'offsite_failed',
      message: expect.stringMatching(/copy of big to off-site repository local was interrupted \(restic killed by SIGKILL\)/),
    });
    expect(audit.at(-1)).toMatchObject({ type: 'snapshot.offsite_copy_failed', severity: 'high' });
    expect(await service.offsite.list({ from: 'local' })).toEqual([]);
    expect(readdirSync(tmp.join('data', 'snapshots', 'tmp'))).toEqual([]);

    const copy = await service.offsite.copy({ ref: 'big', to: 'local', actor: 'alice' });
    expect(copy.snapshotName).toBe('big');
    // check locks the repository exclusively: the killed run's stale lock must not stop it.
    expect(await service.offsite.check({ repo: 'local', actor: 'alice' })).toMatchObject({ ok: true, restoreTest: { snapshotName: 'big', problems: 0 } });
  }, 120_000);
});
