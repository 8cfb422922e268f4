import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { integrityConfigSchema } from '@/lib/config/integrity-config';
import { AuditWriter } from '../audit';
import { createMigratedDatabase, makeTempDir, PROVIDERS, silentLogger, writeTreeFiles, type MigratedDatabase, type TempDir } from '../test-support';
import { BASELINE_FILE, FileIntegrity } from './file-integrity';
import { readRecentFindings } from './finding-history';

describe.each(PROVIDERS)('integrity findings across a restart (%s)', (provider) => {
  let db: MigratedDatabase | null = null;
  let dir: TempDir | null = null;
  const closing: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
    await db?.destroy();
    dir?.remove();
  });

  /** A monitor as the worker builds it: its audit writer, its data dir, the audit trail as its history. */
  async function openMonitor(): Promise<FileIntegrity> {
    const audit = new AuditWriter({ database: db!.database, spoolFile: dir!.join('spool.ndjson'), log: silentLogger() });
    await audit.start();
    const config = integrityConfigSchema.parse({ realtime: false, paths: [{ path: dir!.join('app') }] });
    const monitor = new FileIntegrity({
      dataDir: dir!.join('data'),
      config: () => config,
      self: null,
      audit,
      log: silentLogger(),
      history: (take) => readRecentFindings(db!.database, take),
    });
    closing.push(
      () => audit.close(),
      () => monitor.stop(),
    );
    return monitor;
  }

  async function restart(): Promise<FileIntegrity> {
    for (const close of closing.splice(0).reverse()) await close();
    const monitor = await openMonitor();
    await monitor.start();
    return monitor;
  }

  it('lists the findings behind the paths that still differ, as before the restart, more than are audited one by one', async () => {
    db = await createMigratedDatabase(provider);
    dir = makeTempDir('vigil-integrity-history-');
    // Past 200 findings in one scan the rest are summarised in one audit event: only the baseline file has them.
    const names = Array.from({ length: 202 }, (_, i) => `f${String(i).padStart(3, '0')}.txt`);
    writeTreeFiles(dir.join('app'), Object.fromEntries(names.map((name) => [name, name])));
    const first = await openMonitor();
    await first.start();
    for (const name of names) writeFileSync(dir.join('app', name), `${name} tampered`);
    await first.scan();
    const before = first.status();
    expect(before.outstanding).toBe(202);
    expect(before.recentFindings).toHaveLength(100);

    const after = (await restart()).status();
    expect(after.outstanding).toBe(202);
    expect(after.recentFindings).toEqual(before.recentFindings);
    expect(after.lastScan).toMatchObject({ findings: 0 });
  });

  it('reads them from the audit trail when the baseline file does not keep them yet', async () => {
    db = await createMigratedDatabase(provider);
    dir = makeTempDir('vigil-integrity-history-');
    writeTreeFiles(dir.join('app'), { 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' });
    const first = await openMonitor();
    await first.start();
    writeFileSync(dir.join('app/a.txt'), 'tampered');
    rmSync(dir.join('app/b.txt'));
    writeFileSync(dir.join('app/d.txt'), 'planted');
    await first.scan();
    const before = first.status();
    expect(before.recentFindings.map((f) => f.kind).sort()).toEqual(['added', 'changed', 'removed']);
    for (const close of closing.splice(0).reverse()) await close();
    const file = dir.join('data', BASELINE_FILE);
    const { recent, ...older } = JSON.parse(readFileSync(file, 'utf8')) as { recent: unknown[] };
    expect(recent).toHaveLength(3);
    writeFileSync(file, JSON.stringify(older));

    const after = (await restart()).status();
    expect(after.outstanding).toBe(3);
    expect(after.recentFindings).toEqual(before.recentFindings);
  });
});
