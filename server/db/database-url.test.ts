import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDatabaseUrl, providerOf, redactUrl, sqlitePathOf } from './database-url';

describe('database URLs', () => {
  it('tells the provider from the scheme', () => {
    expect(providerOf('file:./var/vigil.db')).toBe('sqlite');
    expect(providerOf('postgresql://u@h/db')).toBe('postgresql');
    expect(providerOf('postgres://u@h/db')).toBe('postgresql');
    expect(providerOf('POSTGRESQL://u@h/db')).toBe('postgresql');
  });

  it('refuses anything else without printing the password', () => {
    expect(() => providerOf('mysql://root:hunter2@db/vigil')).toThrow('DATABASE_URL must start with file: or postgresql:// (got "mysql://root:***@db/vigil")');
  });

  it('redacts only the password', () => {
    expect(redactUrl('postgresql://vigil:s3cr3t@db.internal:5432/vigil?sslmode=require')).toBe('postgresql://vigil:***@db.internal:5432/vigil?sslmode=require');
    expect(redactUrl('postgresql://vigil@db/vigil')).toBe('postgresql://vigil@db/vigil');
    expect(redactUrl('file:/var/lib/vigil.db')).toBe('file:/var/lib/vigil.db');
  });

  it('resolves a SQLite path against the working directory and drops the query string', () => {
    expect(sqlitePathOf('file:./var/vigil.db?connection_limit=1')).toBe(path.resolve('var/vigil.db'));
    expect(sqlitePathOf('file:/tmp/x.db')).toBe('/tmp/x.db');
  });

  it('puts the default SQLite file in the data directory', () => {
    expect(defaultDatabaseUrl('./var')).toBe(`file:${path.resolve('var', 'vigil.db')}`);
  });
});
