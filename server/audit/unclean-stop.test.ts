import { afterEach, describe, expect, it } from 'vitest';
import { capturingLogger, createMigratedDatabase, type MigratedDatabase } from '../test-support';
import { AuditWriter } from './audit-writer';
import { uncleanStopEvent } from './unclean-stop';

let db: MigratedDatabase | null = null;
afterEach(async () => {
  await db?.destroy();
  db = null;
});

describe('a restart after an unclean stop', () => {
  it('is reported when the newest start of this node has no stop after it, and not after a clean stop', async () => {
    db = await createMigratedDatabase('sqlite');
    const audit = new AuditWriter({ database: db.database, spoolFile: db.dir.join('spool.ndjson'), log: capturingLogger('silent').log });
    await audit.start();
    const record = async (type: string, details: Record<string, string | number> = {}) => {
      await audit.append({ type, severity: 'info', actor: 'system', action: type, details });
      await audit.flush();
    };
    expect(await uncleanStopEvent(db.database, { node: null })).toBeNull();
    await record('worker.started', { pid: 41 });
    const event = await uncleanStopEvent(db.database, { node: null });
    expect(event).toMatchObject({ type: 'worker.restarted_unexpectedly', severity: 'high', details: { previousPid: 41 } });
    await record('worker.stopped', { pid: 41 });
    expect(await uncleanStopEvent(db.database, { node: null })).toBeNull();
    // In a cluster another node's start without a stop is not this node's crash.
    await record('worker.started', { pid: 7, node: 'n2' });
    expect(await uncleanStopEvent(db.database, { node: 'n1' })).toBeNull();
    expect(await uncleanStopEvent(db.database, { node: 'n2' })).toMatchObject({ details: { previousPid: 7 } });
    await audit.close();
  });
});
