import { appendFileSync, chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditWriter } from '../audit';
import { makeTempDir, waitFor, writeTreeFiles, type MigratedDatabase, type TempDir } from '../test-support';
import { BASELINE_FILE } from './file-integrity';
import { integrityHarness, openAuditDatabase, sha256, type IntegrityHarness } from './integrity-test-kit';

let db: MigratedDatabase;
let audit: AuditWriter;
let dir: TempDir;
let harness: IntegrityHarness | null = null;

beforeAll(async () => ({ db, audit } = await openAuditDatabase()));
afterAll(async () => {
  await audit.close();
  await db.destroy();
});
beforeEach(() => {
  dir = makeTempDir('vigil-integrity-');
  writeTreeFiles(dir.join('app'), { 'a.txt': 'alpha', 'sub/b.txt': 'beta', 'cache/c.bin': 'cached', 'keep.tmp': 'scratch' });
  writeTreeFiles(dir.join('etc'), { 'vigil.conf': 'secure=1' });
});
afterEach(async () => {
  await harness?.close();
  harness = null;
  dir.remove();
});

function open(config: Parameters<typeof integrityHarness>[0]['config'] = {}) {
  harness = integrityHarness({
    db,
    audit,
    dataDir: dir.join('data'),
    config: {
      paths: [
        { path: dir.join('app'), exclude: ['cache', '*.tmp'] },
        { path: dir.join('etc'), critical: true },
      ],
      ...config,
    },
  });
  return harness;
}

const byKind = (h: IntegrityHarness) => Object.fromEntries(h.findings.map((f) => [`${f.kind} ${f.path.slice(dir.path.length + 1)}`, f]));

describe('FileIntegrity', () => {
  it('baselines every watched file with hash, size, mode, owner and mtime, skipping excludes', async () => {
    writeTreeFiles(dir.join(), { 'data/.keep': '' });
    const h = open();
    await h.monitor.start();
    const status = h.monitor.status();
    expect(status.filesWatched).toBe(3);
    expect(status.recentFindings).toEqual([]);
    expect(status.baselineAgeMs).toBeGreaterThanOrEqual(0);
    expect(status.lastScan).toMatchObject({ files: 3, findings: 0 });
    const stored = JSON.parse(readFileSync(dir.join('data', BASELINE_FILE), 'utf8')) as { files: Record<string, Record<string, unknown>> };
    expect(Object.keys(stored.files).sort()).toEqual([dir.join('app/a.txt'), dir.join('app/sub/b.txt'), dir.join('etc/vigil.conf')]);
    expect(stored.files[dir.join('app/a.txt')]).toMatchObject({
      type: 'file',
      hash: sha256('alpha'),
      size: 5,
      uid: process.getuid!(),
      gid: process.getgid!(),
      mtimeMs: expect.any(Number),
    });
    expect((await h.auditEvents()).map((e) => e.type)).toContain('integrity.baseline_created');
  });

  it('reports changed, added and removed files once each, with before and after hashes, as high audit events', async () => {
    const h = open();
    await h.monitor.start();
    writeFileSync(dir.join('app/a.txt'), 'tampered');
    writeFileSync(dir.join('app/new.txt'), 'intruder');
    rmSync(dir.join('app/sub/b.txt'));
    writeFileSync(dir.join('app/cache/more.bin'), 'excluded');
    writeFileSync(dir.join('app/other.tmp'), 'excluded');
    chmodSync(dir.join('etc/vigil.conf'), 0o600);
    await h.monitor.scan();
    const found = byKind(h);
    expect(Object.keys(found).sort()).toEqual(['added app/new.txt', 'changed app/a.txt', 'changed etc/vigil.conf', 'removed app/sub/b.txt']);
    expect(found['changed app/a.txt']).toMatchObject({ severity: 'high', critical: false, changed: ['hash', 'size'], via: 'scan' });
    expect(found['changed app/a.txt'].before?.hash).toBe(sha256('alpha'));
    expect(found['changed app/a.txt'].after?.hash).toBe(sha256('tampered'));
    expect(found['added app/new.txt']).toMatchObject({ before: null, after: { hash: sha256('intruder') } });
    expect(found['removed app/sub/b.txt']).toMatchObject({ before: { hash: sha256('beta') }, after: null });
    expect(found['changed etc/vigil.conf'].changed).toEqual(['mode']);

    const events = (await h.auditEvents()).filter((e) => e.type.startsWith('integrity.file_'));
    expect(events).toHaveLength(4);
    const changedEvent = events.find((e) => e.resource === dir.join('app/a.txt'));
    expect(changedEvent).toMatchObject({ type: 'integrity.file_changed', severity: 'high', actor: 'system' });
    expect(changedEvent?.details).toMatchObject({ before: { hash: sha256('alpha') }, after: { hash: sha256('tampered') } });

    h.findings.length = 0;
    await h.monitor.scan();
    expect(h.findings).toEqual([]);
    expect(h.monitor.status().outstanding).toBe(4);

    writeFileSync(dir.join('app/a.txt'), 'alpha');
    await h.monitor.scan();
    expect(h.findings.map((f) => [f.kind, f.severity])).toEqual([['restored', 'info']]);
  });

  it('makes tampering with a critical path critical and calls onCriticalTamper', async () => {
    const h = open();
    await h.monitor.start();
    appendFileSync(dir.join('etc/vigil.conf'), '\nsecure=0');
    rmSync(dir.join('app/a.txt'));
    await h.monitor.scan();
    expect(h.tampered.map((f) => [f.kind, f.path, f.severity])).toEqual([['changed', dir.join('etc/vigil.conf'), 'critical']]);
    const events = await h.auditEvents();
    expect(events.find((e) => e.resource === dir.join('etc/vigil.conf'))?.severity).toBe('critical');
  });

  it('re-baselines on an administrator’s word, audited with actor and reason', async () => {
    const h = open();
    await h.monitor.start();
    writeFileSync(dir.join('app/a.txt'), 'deployed v2');
    await h.monitor.scan();
    expect(h.monitor.status().outstanding).toBe(1);
    const status = await h.monitor.rebaseline({ actor: 'admin', reason: 'deployed release 2' });
    expect(status.outstanding).toBe(0);
    h.findings.length = 0;
    await h.monitor.scan();
    expect(h.findings).toEqual([]);
    const event = (await h.auditEvents()).find((e) => e.type === 'integrity.rebaselined');
    expect(event).toMatchObject({ actor: 'admin', reason: 'deployed release 2', details: { files: 3, outstandingCleared: 1 } });
  });

  it('keeps its baseline across a restart and reports what changed while it was down', async () => {
    const first = open();
    await first.monitor.start();
    const createdAt = first.monitor.status().baselineCreatedAt;
    await first.close();
    writeFileSync(dir.join('app/sub/b.txt'), 'changed offline');
    const second = open();
    await second.monitor.start();
    expect(second.monitor.status().baselineCreatedAt).toBe(createdAt);
    expect(second.findings.map((f) => [f.kind, f.path, f.before?.hash])).toEqual([['changed', dir.join('app/sub/b.txt'), sha256('beta')]]);
  });

  it('treats an unreadable baseline as suspicious and starts a new one', async () => {
    writeTreeFiles(dir.join('data'), { [BASELINE_FILE]: '{"version":1,"files":' });
    const h = open();
    await h.monitor.start();
    expect(h.monitor.status().filesWatched).toBe(3);
    expect((await h.auditEvents()).filter((e) => e.type === 'integrity.baseline_unreadable').at(-1)).toMatchObject({
      severity: 'high',
      reason: 'not valid JSON',
    });
  });

  it('baselines a root added to the configuration instead of reporting its files, and forgets removed ones', async () => {
    const h = open({ paths: [{ path: dir.join('app'), exclude: ['cache', '*.tmp'] }] });
    await h.monitor.start();
    expect(h.monitor.status().filesWatched).toBe(2);
    await h.close();
    const wider = open();
    await wider.monitor.start();
    expect(wider.findings).toEqual([]);
    expect(wider.monitor.status().filesWatched).toBe(3);
  });

  it('with nothing registered, writes no baseline and audits nothing', async () => {
    const h = open({ paths: [] });
    await h.monitor.start();
    expect(h.monitor.status()).toMatchObject({ enabled: false, filesWatched: 0, baselineCreatedAt: null });
    expect(existsSync(dir.join('data', BASELINE_FILE))).toBe(false);
  });

  it('accepts a glob in the path', async () => {
    writeTreeFiles(dir.join('conf'), { 'a.conf': '1', 'b.txt': '2', 'nested/c.conf': '3' });
    const h = open({ paths: [{ path: `${dir.join('conf')}/*.conf` }] });
    await h.monitor.start();
    expect(h.monitor.status().filesWatched).toBe(1);
    expect(h.monitor.status().roots).toEqual([{ path: dir.join('conf'), critical: false }]);
  });

  it('notices changes in real time, new directories included, without waiting for a scan', async () => {
    const h = open({ realtime: true, debounceMs: 20 });
    await h.monitor.start();
    expect(h.monitor.status().realtime.active).toBe(true);
    writeFileSync(dir.join('etc/vigil.conf'), 'secure=0');
    await waitFor(() => h.tampered.length === 1, { timeoutMs: 3000, what: 'critical finding from the watch' });
    expect(h.tampered[0]).toMatchObject({ kind: 'changed', via: 'watch' });
    writeTreeFiles(dir.join('app'), { 'fresh/dir/x.txt': 'new' });
    await waitFor(() => h.findings.some((f) => f.kind === 'added' && f.path === dir.join('app/fresh/dir/x.txt')), {
      timeoutMs: 3000,
      what: 'file in a new directory',
    });
    writeFileSync(dir.join('app/fresh/dir/y.txt'), 'newer');
    await waitFor(() => h.findings.some((f) => f.path === dir.join('app/fresh/dir/y.txt')), { timeoutMs: 3000, what: 'file in the newly watched directory' });
    rmSync(dir.join('app/sub'), { recursive: true });
    await waitFor(() => h.findings.some((f) => f.kind === 'removed' && f.path === dir.join('app/sub/b.txt')), {
      timeoutMs: 3000,
      what: 'removal of a directory',
    });
    writeFileSync(dir.join('app/cache/ignored.bin'), 'x');
    // A file written after it is reported after it: once that finding is in, the ignored one had its chance.
    writeFileSync(dir.join('app/after-ignored.txt'), 'x');
    await waitFor(() => h.findings.some((f) => f.path === dir.join('app/after-ignored.txt')), {
      timeoutMs: 3000,
      what: 'the file written after the ignored one',
    });
    expect(h.findings.some((f) => f.path.includes('/cache/'))).toBe(false);
  });

  it('watches Vigil’s own code and config file, minus dependencies and build output', async () => {
    const repo = dir.join('repo');
    writeTreeFiles(repo, {
      'server/worker.ts': 'code',
      'server/node_modules/x.js': 'dep',
      'app/.next/cache.bin': 'build',
      'package.json': '{}',
      'README.md': 'docs',
      'vigil.config.yaml': 'logs: {}',
    });
    harness = integrityHarness({ db, audit, dataDir: dir.join('data'), config: {}, self: { repoRoot: repo, configFile: `${repo}/vigil.config.yaml` } });
    await harness.monitor.start();
    expect(harness.monitor.status().filesWatched).toBe(3);
    expect(existsSync(dir.join('data', BASELINE_FILE))).toBe(true);
  });
});
