import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { SharedAuditPage } from '@/lib/share/share-view';
import { toPendingEvent } from '../audit/pending-event';
import { appendAuditBatch } from '../queries/audit';
import { createMigratedDatabase, PROVIDERS, type MigratedDatabase } from '../test-support';
import { readSharedAuditPage } from './shared-audit';

describe.each(PROVIDERS)('shared audit pages on %s', (provider) => {
  let db: MigratedDatabase;
  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    // Seven threats from seven addresses, with logins in between that the frozen filter leaves out.
    await appendAuditBatch(
      db.database,
      Array.from({ length: 14 }, (_, i) =>
        toPendingEvent({
          type: i % 2 ? 'auth.login' : 'threat.detected',
          severity: 'high',
          actor: 'system',
          action: `blocked 198.51.100.${i}`,
          source: `203.0.113.${i}`,
          details: { peer: `192.0.2.${i}` },
        }),
      ),
    );
  });
  afterEach(() => db.destroy());

  const read = (pageQuery: Record<string, string | string[] | undefined>, redact = true) =>
    readSharedAuditPage(db.database, { frozenQuery: { type: 'threat.detected' }, pageQuery, redact, limit: 3 });
  const events = (page: SharedAuditPage): ChainedAuditEvent[] => {
    if (!page.ok) throw new Error(page.message);
    return page.events;
  };

  it('pages through the frozen filters newest first, redacting every page', async () => {
    const seen: ChainedAuditEvent[] = [];
    let page = await read({});
    expect(page).toMatchObject({ ok: true, cursor: null });
    for (;;) {
      seen.push(...events(page));
      if (!page.ok || page.nextCursor === null) break;
      page = await read({ cursor: String(page.nextCursor) });
      expect(page.ok && page.cursor).toBe(seen[seen.length - 1].seq);
    }
    expect(seen.map((e) => e.seq)).toEqual([13, 11, 9, 7, 5, 3, 1]);
    for (const event of seen) {
      expect(event.type).toBe('threat.detected');
      expect(event.source).toBe('203.0.113.x');
      expect(event.action).toBe('blocked 198.51.100.x');
      expect(event.details).toEqual({ peer: '192.0.2.x' });
    }
  });

  it('shows addresses when the link does not redact', async () => {
    expect(events(await read({ cursor: '5' }, false)).map((e) => e.source)).toEqual(['203.0.113.2', '203.0.113.0']);
  });

  it.each([['abc'], ['-3'], ['0'], ['2.5'], ['99999999999'], [['5', '7']]])('refuses the forged cursor %j with a 422 and a message', async (cursor) => {
    const page = await read({ cursor });
    expect(page).toMatchObject({ ok: false, status: 422, message: expect.stringMatching(/^The cursor in this address is not valid \(.+\)\.$/) });
  });

  it('reads a cursor past the head as the newest page', async () => {
    expect(events(await read({ cursor: '1000' })).map((e) => e.seq)).toEqual([13, 11, 9]);
  });
});
