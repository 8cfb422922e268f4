import { describe, expect, it } from 'vitest';
import { csvCell, csvHeader, csvRow, ndjsonLine } from './export-format';
import type { ChainedAuditEvent } from './types';

const event: ChainedAuditEvent = {
  seq: 7,
  eventId: 'e7',
  at: '2026-01-01T00:00:00.000Z',
  type: 'auth_failure',
  severity: 'high',
  actor: '=cmd|calc',
  action: 'sign in, "failed"',
  module: null,
  resource: null,
  reason: 'line1\nline2',
  method: null,
  source: '203.0.113.9',
  details: { note: '<script>' },
  prevHash: 'a',
  hash: 'b',
};

describe('audit export formats', () => {
  it('escapes quotes, commas and newlines', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('x\ny')).toBe('"x\ny"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)'])('neutralises a formula %s', (formula) => {
    expect(csvCell(formula).replace(/^"/, '')).toMatch(/^'/);
  });

  it('writes one row per event under the header', () => {
    expect(csvHeader().startsWith('seq,at,type')).toBe(true);
    const row = csvRow(event);
    expect(row).toContain(`'=cmd|calc`);
    expect(row).toContain('"sign in, ""failed"""');
    expect(row).toContain('"{""note"":""<script>""}"');
    expect(row.endsWith('\r\n')).toBe(true);
  });

  it('names the reporting host in the last column, the local one when the event has none', () => {
    expect(csvHeader().endsWith(',hash,hostId\r\n')).toBe(true);
    expect(csvRow(event).endsWith(',a,b,1\r\n')).toBe(true);
    expect(csvRow({ ...event, hostId: 4 }).endsWith(',a,b,4\r\n')).toBe(true);
    expect(JSON.parse(ndjsonLine({ ...event, hostId: 4 }))).toMatchObject({ hostId: 4 });
  });

  it('writes NDJSON that parses back to the event', () => {
    const line = ndjsonLine(event);
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual(event);
  });
});
