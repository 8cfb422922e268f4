import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INGEST_EVENT_TYPES } from '@/server/ingest/ingest-schema';
import { APP_EVENT_TYPES, KNOWN_AUDIT_TYPES } from '@/lib/audit/known-types';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

describe('known audit types', () => {
  it('lists every fixed type the code writes', () => {
    const written = new Set<string>();
    for (const file of ['server', 'app', 'lib'].flatMap((dir) => sourceFiles(path.resolve(dir)))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/type: '([a-z_]+\.[a-z_.]+)'/g)) written.add(match[1]);
    }
    expect(written.size).toBeGreaterThan(30);
    expect([...written].filter((type) => !KNOWN_AUDIT_TYPES.includes(type))).toEqual([]);
  });

  it('offers the stored name of what machines send', () => {
    expect([...APP_EVENT_TYPES].sort()).toEqual([...INGEST_EVENT_TYPES].sort());
    expect(KNOWN_AUDIT_TYPES).toContain('app.auth_failure');
    expect(KNOWN_AUDIT_TYPES).not.toContain('auth_failure');
  });
});
