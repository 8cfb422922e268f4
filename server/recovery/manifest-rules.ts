import path from 'node:path';
import type { z } from 'zod';
import { manifestSchema, type Manifest, type ManifestEntry } from '@/lib/recovery/snapshot-schema';
import { RecoveryError } from './recovery-error';

/** Linux gives up after 40 symlinks in one lookup; a longer chain in a manifest is a loop. */
const MAX_LINK_HOPS = 40;

const VIRTUAL_PREFIX = 'vigil:';

/** One path component: something a directory can hold, never a way up or across. */
export function segmentProblem(segment: string): string | null {
  if (segment === '') return 'an empty path component';
  if (segment === '.' || segment === '..') return `a "${segment}" component`;
  if (segment.includes('\0')) return 'a NUL byte';
  if (segment.includes('/')) return 'a path separator';
  if (Buffer.byteLength(segment) > 255) return 'a component longer than 255 bytes';
  return null;
}

const parentOf = (entryPath: string) => entryPath.slice(0, Math.max(entryPath.lastIndexOf('/'), 0));

/**
 * Names, kinds and nesting that every reader of a manifest relies on: each source is one plain
 * name; each entry lies in a declared source, is named once and sits in a directory the snapshot
 * itself holds, so no entry can be reached through a symlink or a `..`.
 */
function checkStructure(manifest: Manifest, ctx: z.RefinementCtx): void {
  const issue = (message: string, at: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path: at });
  const sources = new Set<string>();
  manifest.sources.forEach((source, index) => {
    const problem = segmentProblem(source.name);
    if (problem) issue(`source name ${JSON.stringify(source.name)} has ${problem}`, ['sources', index, 'name']);
    if (sources.has(source.name)) issue(`source name ${JSON.stringify(source.name)} appears twice`, ['sources', index, 'name']);
    sources.add(source.name);
    const real = source.path.startsWith(VIRTUAL_PREFIX) ? null : source.path;
    if (real !== null && (!path.isAbsolute(real) || path.normalize(real) !== real || real.includes('\0'))) {
      issue(`source ${JSON.stringify(source.name)} has path ${JSON.stringify(source.path)}, which is not an absolute, normalized path`, [
        'sources',
        index,
        'path',
      ]);
    }
  });
  const byPath = new Map<string, ManifestEntry>();
  manifest.entries.forEach((entry, index) => {
    const at = ['entries', index, 'path'];
    const name = JSON.stringify(entry.path);
    const segments = entry.path.split('/');
    const bad = segments.map(segmentProblem).find((problem) => problem !== null);
    if (bad) return issue(`manifest entry ${name} has ${bad}`, at);
    if (!sources.has(segments[0])) return issue(`manifest entry ${name} belongs to no source of the snapshot`, at);
    if (byPath.has(entry.path)) return issue(`manifest entry ${name} appears twice`, at);
    if (entry.mode < 0 || entry.mode > 0o7777) issue(`manifest entry ${name} has mode ${entry.mode}, outside 0..07777`, ['entries', index, 'mode']);
    if (segments.length === 1 && entry.type === 'symlink') issue(`manifest entry ${name} is a source root that is a symlink`, at);
    byPath.set(entry.path, entry);
  });
  manifest.entries.forEach((entry, index) => {
    if (!entry.path.includes('/') || byPath.get(entry.path) !== entry) return;
    const parent = byPath.get(parentOf(entry.path));
    if (parent?.type !== 'dir') {
      issue(
        `manifest entry ${JSON.stringify(entry.path)} lies under ${JSON.stringify(parentOf(entry.path))}, which the snapshot does not hold as a directory`,
        ['entries', index, 'path'],
      );
    }
  });
  for (const name of sources) if (!byPath.has(name)) issue(`source ${JSON.stringify(name)} has no root entry`, ['sources']);
}

/** The manifest every reader accepts: the stored format plus the structure above. */
export const storedManifestSchema = manifestSchema.superRefine(checkStructure);

/**
 * Where `target`, read from directory `from` (segments below the source root), lands in the
 * tree the restore will leave behind, following the snapshot's own symlinks on the way;
 * null when it climbs out of the source root or loops.
 */
function resolveInTree(byPath: ReadonlyMap<string, ManifestEntry>, source: string, from: readonly string[], target: string, hops: number): string[] | null {
  if (hops > MAX_LINK_HOPS) return null;
  let at = [...from];
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (at.length === 0) return null;
      at.pop();
      continue;
    }
    const entry = byPath.get([source, ...at, part].join('/'));
    if (entry?.type === 'symlink') {
      const resolved = resolveInTree(byPath, source, at, entry.target, hops + 1);
      if (resolved === null) return null;
      at = resolved;
    } else at.push(part);
  }
  return at;
}

/** A symlink the restore writes must stay inside its source once the whole tree is in place. */
function checkSymlinks(manifest: Manifest, ctx: z.RefinementCtx): void {
  const byPath = new Map(manifest.entries.map((entry) => [entry.path, entry]));
  manifest.entries.forEach((entry, index) => {
    if (entry.type !== 'symlink') return;
    const [source, ...rest] = entry.path.split('/');
    const outside =
      entry.target === '' ||
      entry.target.includes('\0') ||
      path.isAbsolute(entry.target) ||
      resolveInTree(byPath, source, rest.slice(0, -1), entry.target, 0) === null;
    if (outside)
      ctx.addIssue({
        code: 'custom',
        message: `manifest entry ${JSON.stringify(entry.path)} is a symlink pointing outside the restore target (${JSON.stringify(entry.target)})`,
        path: ['entries', index, 'target'],
      });
  });
}

/** What a restore accepts: additionally, no symlink that leads out of the restored tree. */
export const restorableManifestSchema = storedManifestSchema.superRefine(checkSymlinks);

export type ManifestSchema = typeof storedManifestSchema | typeof restorableManifestSchema;

/** Parses with `schema`, or throws an error naming the first offending entry. */
export function parseManifest(schema: ManifestSchema, value: unknown, label: string): Manifest {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const code = first.code === 'custom' ? 'unsafe_path' : 'corrupt';
  throw new RecoveryError(code, `${label} is refused: ${first.code === 'custom' ? first.message : `${first.path.join('.')}: ${first.message}`}`);
}
