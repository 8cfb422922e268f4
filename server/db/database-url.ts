import path from 'node:path';

export type DatabaseProvider = 'sqlite' | 'postgresql';

export function providerOf(url: string): DatabaseProvider {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgresql';
  if (url.startsWith('file:')) return 'sqlite';
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got "${redactUrl(url)}")`);
}

/** The SQLite file a file: URL names, resolved against the working directory. */
export function sqlitePathOf(url: string): string {
  const raw = url.replace(/^file:/, '').replace(/\?.*$/, '');
  return path.resolve(raw);
}

export function defaultDatabaseUrl(dataDir: string): string {
  return `file:${path.join(path.resolve(dataDir), 'vigil.db')}`;
}

/** For logs and error messages: never print a password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^/?#]*)@/, '//$1:***@');
}
