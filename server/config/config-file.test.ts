import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, waitFor, type TempDir } from '../test-support';
import { ConfigWatcher, loadConfigFile, parseConfigText } from './config-file';

let tmp: TempDir;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.remove());

describe('the config file', () => {
  it('is optional: a missing file is the default configuration', () => {
    const loaded = loadConfigFile(tmp.join('absent.yaml'));
    expect(loaded).toMatchObject({ exists: false, problems: [], config: { modules: [], snapshots: { sources: [] } } });
  });

  it('reports YAML syntax errors with the line', () => {
    expect(parseConfigText('snapshots:\n  sources: [\n', tmp.path).problems[0].message).toMatch(/not valid YAML at line \d/);
    expect(parseConfigText('- a\n- b\n', tmp.path).problems[0].message).toMatch(/must be a mapping/);
  });

  it('keeps the good sections and modules when one is bad, naming each bad field', () => {
    const { config, problems } = parseConfigText(
      [
        'snapshots:',
        '  sources:',
        '    - { name: app, path: ./app }',
        'modules:',
        '  - { name: api, kind: http, url: "http://127.0.0.1:8080/health", critical: true }',
        '  - { name: broken, kind: http, url: "not a url" }',
        '  - { name: worker, kind: process, command: "node server.js" }',
        '  - { name: api, kind: tcp, host: 127.0.0.1, port: 5432 }',
        '  - { name: db, kind: tcp, host: 127.0.0.1, port: 5432, dependsOn: [api] }',
      ].join('\n'),
      tmp.path,
    );
    expect(config.snapshots.sources).toEqual([{ name: 'app', path: path.join(tmp.path, 'app'), exclude: [] }]);
    expect(config.modules.map((m) => m.name)).toEqual(['api', 'db']);
    expect(config.modules[0]).toMatchObject({
      kind: 'http',
      failureThreshold: 3,
      intervalSeconds: 30,
      autonomy: 'auto',
      detection: { errorRate: 0.05, latencyFactor: 2, heartbeatSeconds: 30 },
    });
    expect(problems.map((p) => p.field)).toEqual(['modules.broken.url', 'modules.worker.command', 'modules.api']);
  });

  it('is reloaded when it changes', async () => {
    const file = tmp.join('vigil.config.yaml');
    writeFileSync(file, 'modules: []\n');
    const watcher = new ConfigWatcher(file, 50);
    const seen: number[] = [];
    watcher.onChange((loaded) => seen.push(loaded.config.modules.length));
    watcher.start();
    // The watcher compares against a first look it takes in the background: a save before that look
    // would be its starting point, so the save is repeated until the watcher reports it.
    await waitFor(
      () => {
        writeFileSync(file, 'modules:\n  - { name: db, kind: tcp, host: 127.0.0.1, port: 5432 }\n');
        return seen.includes(1);
      },
      { timeoutMs: 5000, intervalMs: 100, what: 'the saved file to be reloaded' },
    );
    expect(watcher.loaded.config.modules[0].name).toBe('db');
    watcher.stop();
  });
});
