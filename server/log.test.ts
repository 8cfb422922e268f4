import { describe, expect, it } from 'vitest';
import { spawnTs } from './test-support';

type Line = Record<string, unknown>;
type LogRecord = { fields: Record<string, unknown>; msg: string; child?: Record<string, unknown> };

/** createLogger offers no destination to inject, so it runs as the process does and stdout is read. */
async function logLines(records: LogRecord[], level = 'info'): Promise<{ lines: Line[]; raw: string }> {
  const child = spawnTs('server/test-support/log-process.ts', { args: [JSON.stringify({ name: 'test', level, records })] });
  const { code } = await child.exited;
  expect(code, child.stderr()).toBe(0);
  const raw = child.stdout();
  return { raw, lines: raw.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Line) };
}

const SECRETS = {
  password: 'hunter2-password',
  token: 'vgl_leaky_token_value',
  secret: 'the-shared-secret-value',
  authorization: 'Bearer abc.def.ghi',
  cookie: 'vigil_session=cookie-secret-value',
};

describe('createLogger', () => {
  it('censors credentials at the top level and one level down, and keeps the rest', async () => {
    const { lines, raw } = await logLines([
      { fields: { ...SECRETS, user: 'alice' }, msg: 'top level' },
      { fields: { body: { username: 'alice', password: SECRETS.password, token: SECRETS.token }, config: { secret: SECRETS.secret } }, msg: 'nested' },
      { fields: { headers: { authorization: SECRETS.authorization, cookie: SECRETS.cookie, 'user-agent': 'curl/8' } }, msg: 'headers' },
      { fields: { req: { method: 'POST', headers: { authorization: SECRETS.authorization, cookie: SECRETS.cookie } } }, msg: 'request' },
    ]);
    for (const value of Object.values(SECRETS)) expect(raw).not.toContain(value);

    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ msg: 'top level', user: 'alice', password: '[redacted]', token: '[redacted]', secret: '[redacted]', authorization: '[redacted]', cookie: '[redacted]' });
    expect(lines[1]).toMatchObject({ body: { username: 'alice', password: '[redacted]', token: '[redacted]' }, config: { secret: '[redacted]' } });
    expect(lines[2]).toMatchObject({ headers: { authorization: '[redacted]', cookie: '[redacted]', 'user-agent': 'curl/8' } });
    expect(lines[3]).toMatchObject({ req: { method: 'POST', headers: { authorization: '[redacted]', cookie: '[redacted]' } } });
  });

  it('censors fields bound to a child logger too', async () => {
    const { lines, raw } = await logLines([{ child: { token: SECRETS.token, module: 'ingest' }, fields: { password: SECRETS.password }, msg: 'child' }]);
    expect(raw).not.toContain(SECRETS.token);
    expect(raw).not.toContain(SECRETS.password);
    expect(lines[0]).toMatchObject({ module: 'ingest', token: '[redacted]', password: '[redacted]' });
  });

  it('names the process on every line and honours the level', async () => {
    const { lines } = await logLines([{ fields: {}, msg: 'hello' }]);
    expect(lines[0]).toMatchObject({ name: 'test', process: 'test', level: 30, msg: 'hello' });
    expect((await logLines([{ fields: {}, msg: 'quiet' }], 'warn')).lines).toEqual([]);
  });
});
