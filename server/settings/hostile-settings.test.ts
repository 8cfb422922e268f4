import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SectionView } from '@/lib/settings/editable-sections';
import { internalToken } from '../auth/keys';
import { runHook } from '../recovery/hooks';
import { api, makeTempDir, startTestWorker, TEST_SECRET, type TempDir, type TestWorker } from '../test-support';

/** Values the schema's types allow but no operator should get by a slip: refused with the field named, or run harmlessly. */
describe('hostile but well-typed console settings', () => {
  let t: TestWorker;
  let dir: TempDir;
  const save = (section: string, value: unknown) =>
    api<SectionView & { error: { code: string; message: string } }>(t.port, `/internal/v1/settings/${section}`, {
      token: internalToken(TEST_SECRET),
      json: { actor: 'user:ada', value },
    });
  const refused = async (section: string, value: unknown, field: string) => {
    const answer = await save(section, value);
    expect(answer.status, answer.text).toBe(400);
    expect(answer.body.error.code).toBe('invalid_setting');
    expect(answer.body.error.message).toContain(field);
    return answer.body.error.message;
  };

  beforeAll(async () => {
    dir = makeTempDir();
    t = await startTestWorker({ provider: 'sqlite' });
  });
  afterAll(async () => {
    await t?.destroy();
    dir?.remove();
  });

  it('refuses the whole file system or a kernel tree to integrity, naming the field', async () => {
    for (const path of ['/', '/proc', '/sys/kernel', '/srv/../'])
      expect(await refused('integrity', { paths: [{ path }] }, 'integrity.paths.0.path: must not be')).toMatch(/must not be/);
  });

  it('refuses a device as a log source; the schema has already refused a bad or catastrophic pattern', async () => {
    await refused('logs', { files: [{ path: '/dev/zero', format: 'combined' }] }, 'logs.files.0.path: must not be under /dev');
    await refused(
      'logs',
      { files: [{ path: '/var/log/app.log', format: 'custom', patterns: [{ kind: 'custom', regex: '(?<source>(a+)+)' }] }] },
      'logs.files.0.patterns.0.regex: repeats a group',
    );
  });

  it('refuses / and the data directory (also through a symlink, or a directory above it) or the store as snapshot sources', async () => {
    const dataDir = t.env.dataDir;
    const link = dir.join('innocent');
    symlinkSync(dataDir, link);
    await refused('snapshots', { sources: [{ name: 'all', path: '/' }] }, 'snapshots.sources.0.path: must not be /');
    for (const path of [dataDir, `${dataDir}/snapshots`, link, `${dataDir}/..`])
      await refused('snapshots', { sources: [{ name: 'site', path }] }, "snapshots.sources.0.path: must not be or hold Vigil's data directory");
    // A site kept under the data directory, beside the store, is the operator's choice.
    mkdirSync(`${dataDir}/site`);
    expect((await save('snapshots', { sources: [{ name: 'site', path: `${dataDir}/site` }] })).status).toBe(200);
  });

  it('keeps a hook’s shell metacharacters as plain text: the program gets them as one argument, no shell runs', async () => {
    const work = dir.join('hook');
    mkdirSync(work);
    const argument = `a; touch ${work}/pwned && $(touch ${work}/pwned2) | tee ${work}/pwned3 \`touch ${work}/pwned4\``;
    const saved = await save('snapshots', { hooks: { stop: ['echo', argument] } });
    expect(saved.status, saved.text).toBe(200);
    const stop = t.worker.config.loaded.config.snapshots.hooks.stop!;
    expect(stop).toEqual(['echo', argument]);
    const result = await runHook('stop', stop, 10_000, process.env.PATH ?? '/usr/bin:/bin');
    expect(result?.output.trim()).toBe(argument);
    expect(readdirSync(work)).toEqual([]);
  });
});
