import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEventInput } from '@/lib/audit/types';
import { createAuditedDatabase, PROVIDERS, type AuditedDatabase } from '../test-support';
import { readRecentRestarts } from './module-restarts';

describe.each(PROVIDERS)('restart times from the audit trail (%s)', (provider) => {
  let store: AuditedDatabase | null = null;
  afterEach(async () => {
    await store?.destroy();
    store = null;
  });

  it('counts each restart once, within the window, per module', async () => {
    store = await createAuditedDatabase(provider);
    const { db, audit } = store;
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
    const step = (module: string, action: string, minutesAgo: number): AuditEventInput => ({
      type: 'healing.action',
      severity: 'high',
      actor: 'healing',
      action: `${action}: done`,
      module,
      method: 'healing',
      details: { incidentId: 'i1', action },
      at: at(minutesAgo),
    });
    const request = (module: string, incidentId: string | null, minutesAgo: number): AuditEventInput => ({
      type: 'module.restart_requested',
      severity: 'notice',
      actor: 'admin',
      action: `restart ${module}`,
      module,
      method: 'operator action',
      details: { incidentId },
      at: at(minutesAgo),
    });
    for (const event of [
      step('web', 'restart', 120),
      step('web', 'restart', 30),
      step('web', 'repair', 25),
      request('web', 'i1', 20),
      step('web', 'restart', 20),
      request('web', null, 10),
      step('db', 'restart', 5),
      {
        type: 'app.custom',
        severity: 'info',
        actor: 'token:app',
        action: 'restart',
        module: 'web',
        details: { action: 'restart' },
        at: at(1),
      } satisfies AuditEventInput,
    ])
      await audit.append(event);
    await audit.flush();

    const restarts = await readRecentRestarts(db.database, at(60));
    expect(Object.fromEntries(restarts)).toEqual({ web: [at(30), at(20), at(10)].map((d) => d.getTime()), db: [at(5).getTime()] });
  });
});
