import { chmodSync, mkdirSync, readFileSync, writeFileSync, accessSync, constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { defaultDatabaseUrl, providerOf } from '../db/database-url';
import { EnvError } from './env-error';

export const port = z.coerce.number({ message: 'must be a port number' }).int().min(1, 'must be 1-65535').max(65535, 'must be 1-65535');

export const databaseUrl = z.string().refine((url) => /^(file:|postgres(ql)?:\/\/)/i.test(url), 'must start with file: (SQLite) or postgresql:// (PostgreSQL)');

export const commonEnvShape = {
  VIGIL_DATA_DIR: z.string().min(1).default('./var'),
  DATABASE_URL: databaseUrl.optional(),
  VIGIL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // better-sqlite3 waits for a lock synchronously, freezing the process: keep the wait short
  // and let the callers' own retry with back-off do the rest.
  // Where hook and check programs are looked up (argv[0] without a slash), as execvp would.
  PATH: z.string().default('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'),
  VIGIL_SQLITE_BUSY_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(0).max(60_000).default(500),
};

export interface CommonEnv {
  dataDir: string;
  databaseUrl: string;
  databaseProvider: 'sqlite' | 'postgresql';
  secret: string;
  logLevel: string;
  sqliteBusyTimeoutMs: number;
  searchPath: string;
}

export function parseEnv<T extends z.ZodRawShape>(shape: T, source: Record<string, string | undefined>): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(source);
  if (!result.success) throw EnvError.fromZod(result.error, source);
  return result.data;
}

/** Creates the data directory and proves it is writable, with a message that says what to do. */
export function ensureDataDir(dataDir: string): string {
  const resolved = path.resolve(dataDir);
  try {
    mkdirSync(resolved, { recursive: true, mode: 0o750 });
    accessSync(resolved, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EnvError(`VIGIL_DATA_DIR: cannot write to ${resolved} (${code ?? 'error'}); choose a writable directory or fix its permissions`);
  }
  return resolved;
}

/**
 * The secret that signs sessions, live-socket tokens and web→worker calls. Taken from
 * VIGIL_SECRET, else created once in the data directory (mode 0600) and shared by
 * both processes through that file.
 */
export function loadOrCreateSecret(dataDir: string, fromEnv?: string): string {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, 'secret.key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    try {
      writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
      chmodSync(file, 0o600);
      return secret;
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
      throw error;
    }
  }
}

export function resolveCommonEnv(raw: {
  VIGIL_DATA_DIR: string;
  DATABASE_URL?: string;
  VIGIL_SECRET?: string;
  LOG_LEVEL: string;
  VIGIL_SQLITE_BUSY_TIMEOUT_MS: number;
  PATH: string;
}): CommonEnv {
  const dataDir = ensureDataDir(raw.VIGIL_DATA_DIR);
  const url = raw.DATABASE_URL ?? defaultDatabaseUrl(dataDir);
  return {
    dataDir,
    databaseUrl: url,
    databaseProvider: providerOf(url),
    secret: loadOrCreateSecret(dataDir, raw.VIGIL_SECRET),
    logLevel: raw.LOG_LEVEL,
    sqliteBusyTimeoutMs: raw.VIGIL_SQLITE_BUSY_TIMEOUT_MS,
    searchPath: raw.PATH,
  };
}
