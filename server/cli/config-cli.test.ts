import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support';
import { runCli } from './main';

let tmp: TempDir;
beforeEach(() => {
  tmp = makeTempDir('vigil-config-cli-');
});
afterEach(() => tmp.remove());

async function check(argv: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['config', 'check', ...argv], { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('vigil config check', () => {
  it('says ok with a summary of what the file configures', async () => {
    const file = tmp.join('next.yaml');
    writeFileSync(
      file,
      [
        'modules:',
        '  - { name: api, kind: http, url: "http://127.0.0.1:8080/health" }',
        '  - { name: db, kind: tcp, host: 127.0.0.1, port: 5432 }',
        '  - { name: web, kind: tcp, host: 127.0.0.1, port: 80 }',
      ].join('\n'),
    );
    expect(await check([file])).toEqual({
      code: 0,
      out: `ok: ${file}: 3 modules (1 http, 2 tcp), 0 snapshot sources, 0 tailed logs, 0 integrity paths, 0 notification channels`,
      err: '',
    });
    // Without a file: VIGIL_CONFIG, like the worker.
    expect((await check([], { VIGIL_CONFIG: file })).out).toMatch(/^ok: /);
  });

  it('exits 1 with each problem, its field and its line', async () => {
    const file = tmp.join('next.yaml');
    writeFileSync(
      file,
      ['modules:', '  - name: api', '    kind: http', '    url: "not a url"', '  - { name: db, kind: tcp, host: 127.0.0.1, port: 99999 }', 'snapshot: {}'].join(
        '\n',
      ),
    );
    const { code, err } = await check([file]);
    expect(code).toBe(1);
    expect(err.split('\n')).toEqual([
      `${file}: 3 problems; the worker would refuse it and keep the configuration it has`,
      `  ${file}:6: snapshot: unknown section; known: snapshots, logs, integrity, defense, trustedProxies, allowlist, escalation, notifications, alerts, drills, forecast, modules, statusPages`,
      `  ${file}:4: modules.api.url: must be an http(s) URL`,
      `  ${file}:5: modules.db.port: Too big: expected number to be <=65535`,
    ]);
  });

  it('refuses what a half-saved or wrong file looks like: empty, not a list, not YAML, binary', async () => {
    const cases: [string | Buffer, RegExp][] = [
      ['', /: the file is empty/],
      ['modules: 5\n', /:1: modules: must be a list/],
      ['modules:\n  - { name: api\n', /: not valid YAML at line \d/],
      [Buffer.from([0x00, 0xff, 0x10, 0x80]), /: not UTF-8 text/],
    ];
    for (const [content, message] of cases) {
      writeFileSync(tmp.join('next.yaml'), content);
      const { code, err } = await check([tmp.join('next.yaml')]);
      expect(code).toBe(1);
      expect(err).toMatch(message);
    }
    expect(await check([tmp.join('absent.yaml')])).toMatchObject({ code: 2, err: `vigil: ${tmp.join('absent.yaml')}: no such file` });
  });
});
