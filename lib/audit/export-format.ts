import { LOCAL_HOST_ID, type ChainedAuditEvent } from './types';

export const CSV_COLUMNS = [
  'seq',
  'at',
  'type',
  'severity',
  'actor',
  'action',
  'module',
  'resource',
  'reason',
  'method',
  'source',
  'details',
  'eventId',
  'prevHash',
  'hash',
  'hostId',
] as const;

/**
 * One CSV cell (RFC 4180). Cells starting with = + - @ (or tab/CR) are prefixed with a
 * quote so a spreadsheet never evaluates attacker-supplied event text as a formula (OWASP).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(event: ChainedAuditEvent): string {
  return `${CSV_COLUMNS.map((column) => csvCell(column === 'details' ? JSON.stringify(event.details) : column === 'hostId' ? (event.hostId ?? LOCAL_HOST_ID) : event[column])).join(',')}\r\n`;
}

export function ndjsonLine(event: ChainedAuditEvent): string {
  return `${JSON.stringify(event)}\n`;
}
