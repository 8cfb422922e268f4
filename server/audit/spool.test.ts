import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support';
import type { PendingAuditEvent } from '../queries/audit';
import { AuditSpool } from './spool';

function pending(i: number): PendingAuditEvent {
  return {
    eventId: `e-${i}`,
    at: '2025-01-01T00:00:00.000Z',
    type: 'test.spool',
    severity: 'info',
    actor: 'a',
    action: `x${i}`,
    module: null,
    resource: null,
    reason: null,
    method: null,
    source: null,
    details: { i },
  };
}

describe('AuditSpool', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = makeTempDir('vigil-spool-');
  });
  afterEach(() => tmp.remove());

  it('is empty when the file does not exist', async () => {
    const spool = new AuditSpool(tmp.join('missing', 'spool.ndjson'));
    expect((await spool.load()).events).toEqual([]);
    expect(spool.size).toBe(0);
  });

  it('appends in order across calls, creating the directory, and reads back exactly what was written', async () => {
    const file = tmp.join('nested', 'spool.ndjson');
    const spool = new AuditSpool(file);
    await spool.append([]);
    await spool.append([pending(1), pending(2)]);
    await spool.append([pending(3)]);
    expect(spool.size).toBe(3);
    const fresh = new AuditSpool(file);
    expect((await fresh.load()).events).toEqual([pending(1), pending(2), pending(3)]);
    expect(fresh.size).toBe(3);
    await fresh.clear();
    expect(fresh.size).toBe(0);
    expect((await new AuditSpool(file).load()).events).toEqual([]);
  });

  it('skips a torn line and keeps everything around it', async () => {
    const file = tmp.join('spool.ndjson');
    writeFileSync(file, `${JSON.stringify(pending(1))}\n{"eventId":"e-2","at":"20\n${JSON.stringify(pending(3))}\n`);
    const spool = new AuditSpool(file);
    expect((await spool.load()).events.map((e) => e.eventId)).toEqual(['e-1', 'e-3']);
    await spool.append([pending(4)]);
    expect((await new AuditSpool(file).load()).events.map((e) => e.eventId)).toEqual(['e-1', 'e-3', 'e-4']);
    expect(readFileSync(file, 'utf8')).toContain('"eventId":"e-4"');
  });

  it('reports an unreadable spool instead of treating it as empty', async () => {
    mkdirSync(tmp.join('spool.ndjson'));
    await expect(new AuditSpool(tmp.join('spool.ndjson')).load()).rejects.toThrow(/EISDIR/);
  });
});
