import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleSchema } from '@/lib/healing/module-schema';
import { makeTempDir, type TempDir } from '../test-support';
import { loadConfigFile, parseConfigText, type LoadedConfig } from './config-file';

let tmp: TempDir;
beforeAll(() => {
  tmp = makeTempDir('vigil-config-fuzz-');
});
afterAll(() => tmp.remove());

/** What every answer must be: a configuration that validates, or problems that each say what and where. */
function expectValidOrExplained(result: Pick<LoadedConfig, 'config' | 'problems'>): void {
  for (const problem of result.problems) {
    expect(typeof problem.field).toBe('string');
    expect(problem.message.trim().length).toBeGreaterThan(0);
    // A problem with no field is about the whole file; one with a field has the line it is on when the file says.
    if (problem.line !== undefined) expect(problem.line).toBeGreaterThanOrEqual(1);
  }
  if (result.problems.length === 0) for (const definition of result.config.modules) expect(moduleSchema.safeParse(definition).success).toBe(true);
}

const VALID = {
  modules: [
    { name: 'api', kind: 'http', url: 'http://127.0.0.1:8080/health', critical: true, restartPolicy: { maxAttempts: 3 } },
    { name: 'svc', kind: 'process', command: ['node', 'svc.js'], env: { A: 'b' } },
    { name: 'db', kind: 'tcp', host: '127.0.0.1', port: 5432, dependsOn: ['api'] },
  ],
  snapshots: { sources: [{ name: 'site', path: './site' }] },
  defense: { isolation: { baseHours: 4 } },
  notifications: { channels: [] },
};

/** The valid document with one value somewhere replaced by anything: the mistakes people make. */
const mutatedValid = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.constantFrom(
          'modules',
          'snapshots',
          'defense',
          'notifications',
          'name',
          'kind',
          'url',
          'port',
          'restartPolicy',
          'maxAttempts',
          'sources',
          'channels',
        ),
        fc.nat(3),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fc.jsonValue(),
  )
  .map(([path, value]) => {
    const document = structuredClone(VALID) as Record<string | number, unknown>;
    let node: Record<string | number, unknown> = document;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null) break;
      node = next as Record<string | number, unknown>;
    }
    node[path[path.length - 1]] = value;
    return document;
  });

describe('the configuration file boundary (property-based)', () => {
  it('any text: never a crash, a valid configuration or problems that say what is wrong', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 400 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.jsonValue().map((v) => toYaml(v)),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          expectValidOrExplained(parseConfigText(text, tmp.path, { withLines: true }));
        },
      ),
      { numRuns: 600 },
    );
  });

  it('an alias bomb (billion laughs) is refused, not expanded', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ),
      'modules: *i',
    ].join('\n');
    const { problems } = parseConfigText(bomb, tmp.path, { withLines: true });
    expect(problems[0]).toMatchObject({ field: '', message: expect.stringMatching(/^not valid YAML/) });
  });

  it('a valid file with one value replaced by anything, as YAML or JSON: never a crash', () => {
    fc.assert(
      fc.property(mutatedValid, fc.boolean(), (document, asJson) => {
        const result = parseConfigText(asJson ? JSON.stringify(document) : toYaml(document), tmp.path, { withLines: true });
        expectValidOrExplained(result);
      }),
      { numRuns: 600 },
    );
  });

  it('any bytes in the file: never a crash, and a file that is not text is refused as a whole', () => {
    const file = tmp.join('vigil.config.yaml');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        writeFileSync(file, bytes);
        const loaded = loadConfigFile(file);
        expectValidOrExplained(loaded);
        if (Buffer.from(bytes).includes(0)) expect(loaded.problems.map((p) => p.field)).toEqual(['']);
        if (Buffer.from(bytes).toString('utf8').trim() === '') expect(loaded.problems[0].message).toMatch(/empty/);
      }),
      { numRuns: 300 },
    );
  });
});
