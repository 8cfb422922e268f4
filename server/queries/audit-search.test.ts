import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEventInput } from '@/lib/audit/types';
import type { AuditSearchFilters } from '@/lib/audit/filters';
import { toPendingEvent } from '../audit';
import { createMigratedDatabase, PROVIDERS, type MigratedDatabase } from '../test-support';
import { appendAuditBatch } from './audit';
import { searchAuditEvents, streamAuditEvents } from './audit-search';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;

/** Event i: a deterministic mix of types, severities, modules, sources and actors, one minute apart. */
function input(i: number): AuditEventInput {
  return {
    type: ['auth_failure', 'request', 'threat.detected'][i % 3],
    severity: (['info', 'warning', 'high', 'critical'] as const)[i % 4],
    actor: i % 5 === 0 ? 'alice' : 'system',
    action: `action ${i}`,
    module: i % 2 === 0 ? 'api' : 'db',
    source: i % 7 === 0 ? '203.0.113.9' : null,
    reason: i === 13 ? 'needle in the reason' : null,
    details: { i, note: i === 21 ? 'needle in details' : 'hay' },
    at: new Date(T0 + i * MINUTE),
  };
}

describe.each(PROVIDERS)('audit search on %s', (provider) => {
  let db: MigratedDatabase;
  const all = Array.from({ length: 120 }, (_, i) => input(i + 1));

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    await appendAuditBatch(db.database, all.map(toPendingEvent));
  });
  afterEach(async () => db.destroy());

  async function collect(filters: AuditSearchFilters, limit: number): Promise<number[]> {
    const seqs: number[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await searchAuditEvents(db.database, filters, { cursor, limit });
      seqs.push(...page.events.map((e) => e.seq));
      if (page.nextCursor === null) return seqs;
      cursor = page.nextCursor;
    }
  }

  /** The reference answer: the predicate applied in memory, newest first. */
  const expected = (keep: (e: AuditEventInput, seq: number) => boolean) =>
    all
      .map((e, i) => ({ e, seq: i + 1 }))
      .filter(({ e, seq }) => keep(e, seq))
      .map(({ seq }) => seq)
      .reverse();

  it('pages newest first through everything with no duplicates or gaps', async () => {
    const first = await searchAuditEvents(db.database, {}, { limit: 50 });
    expect(first.events[0].seq).toBe(120);
    expect(first.nextCursor).toBe(71);
    expect(first.events[0].details).toEqual({ i: 120, note: 'hay' });
    expect(await collect({}, 50)).toEqual(expected(() => true));
    expect(await collect({}, 7)).toEqual(expected(() => true));
  });

  it.each<[string, AuditSearchFilters, (e: AuditEventInput) => boolean]>([
    ['one type', { types: ['auth_failure'] }, (e) => e.type === 'auth_failure'],
    ['two types', { types: ['auth_failure', 'request'] }, (e) => e.type !== 'threat.detected'],
    ['severity', { severities: ['critical'] }, (e) => e.severity === 'critical'],
    ['severities', { severities: ['high', 'critical'] }, (e) => e.severity === 'high' || e.severity === 'critical'],
    ['module', { module: 'db' }, (e) => e.module === 'db'],
    ['source', { source: '203.0.113.9' }, (e) => e.source === '203.0.113.9'],
    ['actor', { actor: 'alice' }, (e) => e.actor === 'alice'],
    [
      'from/to',
      { from: new Date(T0 + 10 * MINUTE), to: new Date(T0 + 20 * MINUTE) },
      (e) => e.at!.getTime() >= T0 + 10 * MINUTE && e.at!.getTime() <= T0 + 20 * MINUTE,
    ],
    ['text in action', { q: 'action 11' }, (e) => e.action.includes('action 11')],
    ['text in reason', { q: 'needle in the' }, (e) => (e.reason ?? '').includes('needle')],
    ['text in details', { q: 'needle in details' }, (e) => (e.details as { note: string }).note === 'needle in details'],
    [
      'combined',
      { types: ['request'], severities: ['info', 'high'], module: 'api', from: new Date(T0 + 30 * MINUTE) },
      (e) => e.type === 'request' && ['info', 'high'].includes(e.severity) && e.module === 'api' && e.at!.getTime() >= T0 + 30 * MINUTE,
    ],
  ])('filters by %s across pages', async (_name, filters, keep) => {
    const want = expected(keep);
    expect(want.length).toBeGreaterThan(0);
    expect(await collect(filters, 4)).toEqual(want);
  });

  it('keeps pages stable while new events are appended between fetches (keyset, not offset)', async () => {
    const seen: number[] = [];
    let cursor: number | undefined;
    let appended = 0;
    for (;;) {
      const page = await searchAuditEvents(db.database, { module: 'api' }, { cursor, limit: 10 });
      seen.push(...page.events.map((e) => e.seq));
      // New matching events land at the head; with OFFSET they would shift the next page and repeat rows.
      await appendAuditBatch(db.database, [input(1000 + appended++), input(1000 + appended++)].map(toPendingEvent));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected((e) => e.module === 'api'));
  });

  it('streams every match newest first in chunks, ignoring events appended after it started', async () => {
    const seqs: number[] = [];
    let appendedDuring = false;
    for await (const event of streamAuditEvents(db.database, { severities: ['info', 'warning'] }, 8)) {
      seqs.push(event.seq);
      if (!appendedDuring) {
        appendedDuring = true;
        await appendAuditBatch(db.database, [toPendingEvent({ ...input(4), severity: 'info' })]);
      }
    }
    expect(seqs).toEqual(expected((e) => e.severity === 'info' || e.severity === 'warning'));
  });

  it('finds a late-arriving event whose time falls in a past window', async () => {
    const [late] = await appendAuditBatch(db.database, [toPendingEvent({ ...input(500), at: new Date(T0 + 15 * MINUTE + 1) })]);
    const window = { from: new Date(T0 + 10 * MINUTE), to: new Date(T0 + 20 * MINUTE) };
    expect(await collect(window, 3)).toEqual([late.seq, ...expected((e) => e.at!.getTime() >= T0 + 10 * MINUTE && e.at!.getTime() <= T0 + 20 * MINUTE)]);
    expect(await collect({ to: new Date(T0 - MINUTE) }, 3)).toEqual([]);
  });

  it('searches text case-insensitively', async () => {
    const search = async (q: string) => (await searchAuditEvents(db.database, { q }, { limit: 200 })).events.map((e) => e.seq);
    expect(await search('NEEDLE IN DETAILS')).toEqual(expected((e) => (e.details as { note: string }).note === 'needle in details'));
    expect(await search('ACTION 11')).toEqual(expected((e) => e.action.includes('action 11')));
    expect(await search('Needle In The')).toEqual(expected((e) => (e.reason ?? '').includes('needle')));
  });

  it('takes % _ and \\ in the text literally, across pages and in exports', async () => {
    const [literal] = await appendAuditBatch(db.database, [toPendingEvent({ ...input(600), action: 'Rate Limit at 100% for a_b\\c' })]);
    const search = async (q: string) => (await searchAuditEvents(db.database, { q }, { limit: 200 })).events.map((e) => e.seq);
    expect(await search('rate limit AT 100%')).toEqual([literal.seq]);
    expect(await search('%')).toEqual([literal.seq]);
    expect(await search('_')).toEqual([literal.seq]);
    expect(await search('a_b\\c')).toEqual([literal.seq]);
    expect(await search('\\')).toEqual([literal.seq]);
    expect(await search('100%_')).toEqual([]);
    // Two more that contain it, with events between them that "100" followed by anything would match.
    const [older] = await appendAuditBatch(db.database, [toPendingEvent({ ...input(601), reason: 'at 100% again' })]);
    await appendAuditBatch(
      db.database,
      Array.from({ length: 60 }, (_, i) => toPendingEvent({ ...input(700 + i), action: `load 100 of ${i}` })),
    );
    const [newest] = await appendAuditBatch(db.database, [toPendingEvent({ ...input(602), details: { note: '100%' } })]);
    const want = [newest.seq, older.seq, literal.seq];
    const pages: number[][] = [];
    for (let cursor: number | undefined; ;) {
      const page = await searchAuditEvents(db.database, { q: '100%' }, { cursor, limit: 1 });
      pages.push(page.events.map((e) => e.seq));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(pages.flat()).toEqual(want);
    const streamed: number[] = [];
    for await (const event of streamAuditEvents(db.database, { q: '100%' }, 50)) streamed.push(event.seq);
    expect(streamed).toEqual(want);
  });

  it('returns an empty page and no cursor when nothing matches', async () => {
    expect(await searchAuditEvents(db.database, { actor: 'nobody' }, { limit: 10 })).toEqual({ events: [], nextCursor: null });
  });
});
