import { describe, expect, it } from 'vitest';
import { formatModuleLines, parseModuleLines } from './module-lines';

describe('the modules box of the page editor', () => {
  it('reads one module a line, with an optional public label, and writes it back', () => {
    const entries = parseModuleLines('api\n\n  db-1 = Database (EU)  \n');
    expect(entries).toEqual(['api', { module: 'db-1', label: 'Database (EU)' }]);
    expect(formatModuleLines(entries)).toBe('api\ndb-1 = Database (EU)');
  });
});
