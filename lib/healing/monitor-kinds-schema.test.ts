import { describe, expect, it } from 'vitest';
import { moduleSchema } from './module-schema';

const postgres = (url: string) => moduleSchema.safeParse({ name: 'm', kind: 'postgres', url });

describe('a PostgreSQL monitor URL', () => {
  it('takes the connection settings a probe needs', () => {
    expect(postgres('postgres://vigil@127.0.0.1:5432/app').success).toBe(true);
    expect(postgres('postgresql://vigil@db.internal/app?sslmode=require&connect_timeout=5&application_name=probe').success).toBe(true);
  });

  it('answers a URL that does not parse with an issue, not an exception (which a route would turn into a 500)', () => {
    for (const url of ['not a url', '', 'postgres://[']) expect(postgres(url).error?.issues[0].message, url).toBe('a postgres:// URL');
  });

  it('refuses a password in the query, where the userinfo check does not look', () => {
    expect(postgres('postgres://vigil@127.0.0.1/app?password=s3cret').error?.issues[0].message).toMatch(/use passwordEnv/);
    expect(postgres('postgres://vigil@127.0.0.1/app?sslpassword=s3cret').success).toBe(false);
  });

  it('refuses parameters that make the worker read a file (the driver reads them synchronously: /dev/zero would never end)', () => {
    for (const parameter of ['sslcert=/dev/zero', 'sslkey=/etc/shadow', 'sslrootcert=/proc/self/environ', 'passfile=/root/.pgpass', 'SSLCERT=/dev/zero'])
      expect(postgres(`postgres://vigil@127.0.0.1/app?${parameter}`).error?.issues[0].message, parameter).toMatch(/not allowed/);
  });
});
