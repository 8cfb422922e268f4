import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestEntry } from '@/lib/recovery/snapshot-schema';
import { makeTempDir, type TempDir } from '../test-support';
import { restorableManifestSchema, segmentProblem, storedManifestSchema } from './manifest-rules';
import { RecoveryError } from './recovery-error';
import { recoveryHarness, treeDigest, type ServiceHarness } from './recovery-test-kit';
import { JOURNAL_VERSION } from './restore-journal';
import { parseJournal } from './restore-journal-schema';

const HASH = 'a'.repeat(64);
/** Few enough names that paths collide, nest and climb: the interesting cases come up often. */
const segment = fc.constantFrom('app', 'a', 'b', 'c', '..', '.', '', 'n\0ul', 'x/y');
const relPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
const entryPath = fc.oneof(
  relPath.map((rel) => `app/${rel}`),
  relPath,
  fc.constant('app'),
  fc.constant('/etc/passwd'),
);
const linkTarget = fc.oneof(relPath, fc.constant('/etc'), fc.constant('../..'), fc.constant(''));
const entry: fc.Arbitrary<ManifestEntry> = fc.oneof(
  entryPath.map((p): ManifestEntry => ({ type: 'dir', path: p, mode: 0o755, mtimeMs: 0 })),
  entryPath.map((p): ManifestEntry => ({ type: 'file', path: p, mode: 0o644, mtimeMs: 0, size: 4, hash: HASH })),
  fc.tuple(entryPath, linkTarget).map(([p, target]): ManifestEntry => ({ type: 'symlink', path: p, mode: 0o777, mtimeMs: 0, target })),
);
const manifest = (sourcePath: string): fc.Arbitrary<Manifest> =>
  fc.record({
    version: fc.constant(1 as const),
    sources: fc.constantFrom('app', 'app', 'app', '..', '.', '', 'a/b').map((name) => [{ name, path: sourcePath, exclude: [] as string[] }]),
    entries: fc.array(entry, { maxLength: 8 }).map((entries): ManifestEntry[] => [{ type: 'dir', path: 'app', mode: 0o755, mtimeMs: 0 }, ...entries]),
  });

/**
 * A manifest that restores: plain names under the source, a file or a directory each. Mixed in
 * half the time, so a run of the property restores some snapshots whatever the draw (the fuzzed
 * ones alone are refused most of the time).
 */
const restorable = (sourcePath: string): fc.Arbitrary<Manifest> =>
  fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.boolean()), { maxLength: 4, selector: ([name]) => name }).map((picked) => ({
    version: 1 as const,
    sources: [{ name: 'app', path: sourcePath, exclude: [] as string[] }],
    entries: [
      { type: 'dir', path: 'app', mode: 0o755, mtimeMs: 0 },
      ...picked.map(([name, isFile]): ManifestEntry =>
        isFile
          ? { type: 'file', path: `app/${name}`, mode: 0o644, mtimeMs: 0, size: 4, hash: HASH }
          : { type: 'dir', path: `app/${name}`, mode: 0o755, mtimeMs: 0 },
      ),
    ],
  }));

describe('the manifest schema', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), manifest('/srv/app')), (value) => {
        expect(() => restorableManifestSchema.safeParse(value)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('accepts only entries of plain names, each inside a directory of the snapshot, with links that stay inside', () => {
    fc.assert(
      fc.property(manifest('/srv/app'), (candidate) => {
        const parsed = restorableManifestSchema.safeParse(candidate);
        if (!parsed.success) return;
        const byPath = new Map(parsed.data.entries.map((e) => [e.path, e]));
        expect(byPath.size).toBe(parsed.data.entries.length);
        for (const e of parsed.data.entries) {
          const parts = e.path.split('/');
          expect(parts.every((part) => segmentProblem(part) === null)).toBe(true);
          if (parts.length > 1) expect(byPath.get(parts.slice(0, -1).join('/'))?.type).toBe('dir');
          if (e.type === 'symlink') expect(path.isAbsolute(e.target)).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
    expect(
      storedManifestSchema.safeParse({
        version: 1,
        sources: [{ name: 'app', path: '/srv/app', exclude: [] }],
        entries: [{ type: 'dir', path: 'app', mode: 0o755, mtimeMs: 0 }],
      }).success,
    ).toBe(true);
  });
});

describe('restoring fuzzed manifests', () => {
  let tmp: TempDir;
  let h: ServiceHarness;
  beforeAll(async () => {
    tmp = makeTempDir('vigil-fuzz-');
    mkdirSync(tmp.join('app'));
    writeFileSync(tmp.join('app', 'f'), 'four');
    writeFileSync(tmp.join('world-file'), 'outside');
    h = recoveryHarness(tmp.join('data'), { sources: [{ name: 'app', path: tmp.join('app'), exclude: [] }] });
    await h.service.create({ name: 'base', tags: [], actor: 'a' });
  });
  afterAll(() => tmp.remove());

  it('refuses before any change, or writes only beneath the target', async () => {
    const store = await h.service.store();
    const base = await store.find('base');
    const blob = (await store.readManifest(base.manifestHash)).entries.find((e) => e.type === 'file')!;
    let run = 0;
    let restored = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(manifest(tmp.join('app')), restorable(tmp.join('app'))), async (candidate) => {
        run += 1;
        const target = tmp.join('targets', `t${run}`);
        mkdirSync(target, { recursive: true });
        const entries = candidate.entries.map((e) => (e.type === 'file' ? { ...e, hash: blob.type === 'file' ? blob.hash : HASH } : e));
        const manifestHash = await store.writeManifest({ ...candidate, entries });
        const name = `fuzz${run}`;
        await store.writeHeader({ ...base, id: `fz${String(run).padStart(10, '0')}`, name, manifestHash });
        const outsideBefore = treeDigest(tmp.path, [target, store.root]);
        const targetBefore = treeDigest(target);
        const outcome = await h.service.restore({ ref: name, targetDir: target, mirror: true, dryRun: false, actor: 'fuzz', reason: 'fuzz' }).then(
          () => 'restored',
          (error: unknown) => {
            expect(error).toBeInstanceOf(RecoveryError);
            return 'refused';
          },
        );
        expect(treeDigest(tmp.path, [target, store.root])).toEqual(outsideBefore);
        if (outcome === 'refused') expect(treeDigest(target)).toEqual(targetBefore);
        else restored += 1;
      }),
      { numRuns: 40 },
    );
    // Both sides of the property are exercised, not only refusals.
    expect(restored).toBeGreaterThan(0);
    expect(restored).toBeLessThan(run);
  });
});

describe('the restore journal parser', () => {
  const valid = {
    version: JOURNAL_VERSION,
    operationId: 'op',
    snapshotId: 'abcdefabcdef',
    snapshotName: 's',
    actor: 'a',
    reason: 'r',
    startedAt: '2026-01-01T00:00:00Z',
    phase: 'staged',
    mirror: false,
    roots: [{ source: 'app', dir: '/t/app', exclude: [], staging: '/t/app/.vigil-restore-x', rootType: 'dir', anchor: '/t', createdRoot: false }],
    ops: [{ kind: 'remove', dest: '/t/app/old', backup: '/t/app/.vigil-restore-x/b0' }],
    previousState: null,
    restoredState: null,
  };

  it('accepts what this version writes', () => {
    expect(parseJournal(JSON.stringify(valid), 'journal').ops).toHaveLength(1);
  });

  it('answers any other input with a recovery error, never anything else', () => {
    const mutated = fc.tuple(fc.constantFrom(...Object.keys(valid)), fc.jsonValue()).map(([key, value]) => JSON.stringify({ ...valid, [key]: value }));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), mutated), (text) => {
        try {
          parseJournal(text, 'journal');
        } catch (error) {
          expect(error).toBeInstanceOf(RecoveryError);
          expect((error as RecoveryError).message).toContain('nothing was changed');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
