import { describe, expect, it } from 'vitest';
import { describeIssues } from '../http-error';
import { auditExportQuerySchema, auditFilterQuerySchema, auditSearchQuerySchema, resolveAuditFilters } from './filters';

function issuesOf(input: Record<string, string>): string {
  const parsed = auditSearchQuerySchema.safeParse(input);
  expect(parsed.success).toBe(false);
  return parsed.success ? '' : describeIssues(parsed.error.issues);
}

describe('audit filters from the URL', () => {
  it('accepts nothing at all and defaults the page size', () => {
    expect(auditSearchQuerySchema.parse({})).toMatchObject({ limit: 50 });
  });

  it('splits comma-separated types and severities', () => {
    const parsed = auditFilterQuerySchema.parse({ type: 'auth_failure, threat.detected,', severity: 'high,critical' });
    expect(parsed.type).toEqual(['auth_failure', 'threat.detected']);
    expect(parsed.severity).toEqual(['high', 'critical']);
  });

  it('parses ISO bounds, cursor and limit', () => {
    const parsed = auditSearchQuerySchema.parse({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00.000+02:00', cursor: '42', limit: '200' });
    expect(parsed.from?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(parsed.to?.toISOString()).toBe('2026-01-01T22:00:00.000Z');
    expect(parsed).toMatchObject({ cursor: 42, limit: 200 });
  });

  it('takes a reporting host and hands it to the query', () => {
    const parsed = auditFilterQuerySchema.parse({ host: '3' });
    expect(resolveAuditFilters(parsed).hostId).toBe(3);
    expect(resolveAuditFilters(auditFilterQuerySchema.parse({})).hostId).toBeUndefined();
  });

  it('treats blank text fields as absent', () => {
    expect(auditFilterQuerySchema.parse({ actor: '  ', q: '' })).toMatchObject({ actor: undefined, q: undefined });
  });

  it.each([
    [{ severity: 'loud' }, 'severity'],
    [{ type: 'Bad Type' }, 'type'],
    [{ from: 'yesterday' }, 'from'],
    [{ range: '2y' }, 'range'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '201' }, 'limit'],
    [{ cursor: '-3' }, 'cursor'],
    [{ host: '0' }, 'host'],
    [{ host: 'web-1' }, 'host'],
    [{ cursor: 'abc' }, 'cursor'],
    [{ range: '1h', from: '2026-01-01T00:00:00Z' }, 'range'],
    [{ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'from'],
    // What PostgreSQL cannot compare: refused here, not failed in the query.
    [{ from: '0000-01-01T00:00:00Z' }, 'from'],
    [{ source: 'a\u0000b' }, 'source'],
    [{ q: 'lone \ud800' }, 'q'],
  ])('rejects %j naming %s', (input, field) => {
    expect(issuesOf(input as Record<string, string>)).toMatch(new RegExp(`^${field}`));
  });

  it('resolves a relative range against now', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const resolved = resolveAuditFilters(auditFilterQuerySchema.parse({ range: '1h', severity: 'high' }), now);
    expect(resolved.from?.toISOString()).toBe('2026-03-01T11:00:00.000Z');
    expect(resolved.severities).toEqual(['high']);
  });

  it('ends a relative range at now, so events reported with a time ahead of the clock are not "in the last hour"', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const resolved = resolveAuditFilters(auditFilterQuerySchema.parse({ range: '1h' }), now);
    expect(resolved.to?.toISOString()).toBe('2026-03-01T12:00:00.000Z');
  });

  it('export defaults to NDJSON and knows CSV', () => {
    expect(auditExportQuerySchema.parse({}).format).toBe('ndjson');
    expect(auditExportQuerySchema.safeParse({ format: 'xml' }).success).toBe(false);
  });
});
