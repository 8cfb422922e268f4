import type { FieldSpec, KindSpec } from './field-spec';

/** Passwords are never typed into Vigil: the worker reads them from its own environment. */
const passwordEnv: FieldSpec = {
  key: 'passwordEnv',
  label: 'Password environment variable',
  type: 'text',
  optional: true,
  adminOnly: true,
  mono: true,
  placeholder: 'DB_PASSWORD',
  hint: "The name of a variable in the worker's environment, never the password itself.",
};
const query: FieldSpec = { key: 'query', label: 'Query', type: 'text', optional: true, mono: true, placeholder: 'default SELECT 1' };
const host: FieldSpec = { key: 'host', label: 'Host', type: 'text', placeholder: '127.0.0.1', narrow: true };

export const POSTGRES_KIND: KindSpec = {
  kind: 'postgres',
  summary: 'Connects to PostgreSQL and runs a query.',
  fields: [{ key: 'url', label: 'URL (no password)', type: 'text', mono: true, placeholder: 'postgres://vigil@127.0.0.1:5432/shop' }, passwordEnv, query],
};

export const MYSQL_KIND: KindSpec = {
  kind: 'mysql',
  summary: 'Connects to MySQL or MariaDB and runs a query.',
  fields: [
    host,
    { key: 'port', label: 'Port', type: 'number', optional: true, placeholder: 'default 3306', narrow: true },
    { key: 'user', label: 'User', type: 'text', optional: true, placeholder: 'default root', narrow: true },
    { key: 'database', label: 'Database', type: 'text', optional: true, narrow: true },
    passwordEnv,
    query,
  ],
};

export const REDIS_KIND: KindSpec = {
  kind: 'redis',
  summary: 'Connects to Redis and expects PONG.',
  fields: [host, { key: 'port', label: 'Port', type: 'number', optional: true, placeholder: 'default 6379', narrow: true }, passwordEnv],
};
