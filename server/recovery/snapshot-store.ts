import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { snapshotHeaderSchema, type Manifest, type SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import { writeFileAtomic } from './fs-atomic';
import { parseManifest, storedManifestSchema, type ManifestSchema } from './manifest-rules';
import { RecoveryError } from './recovery-error';

const STORE_VERSION = 1;

/**
 * Content-addressed like restic's repository, without encryption or packing: one blob per
 * distinct file content under blobs/<2 hex>/<sha256>, one manifest per snapshot tree
 * (named by its own SHA-256), one small header per snapshot for listing.
 */
export class SnapshotStore {
  readonly blobsDir: string;
  readonly manifestsDir: string;
  readonly snapshotsDir: string;
  readonly tmpDir: string;
  readonly cacheDir: string;

  constructor(readonly root: string) {
    this.blobsDir = path.join(root, 'blobs');
    this.manifestsDir = path.join(root, 'manifests');
    this.snapshotsDir = path.join(root, 'snapshots');
    this.tmpDir = path.join(root, 'tmp');
    this.cacheDir = path.join(root, 'cache');
  }

  async init(): Promise<this> {
    for (const dir of [this.root, this.blobsDir, this.manifestsDir, this.snapshotsDir, this.tmpDir, this.cacheDir]) {
      await mkdir(dir, { recursive: true, mode: 0o750 });
    }
    const marker = path.join(this.root, 'store.json');
    try {
      const { version } = JSON.parse(await readFile(marker, 'utf8')) as { version: number };
      if (version !== STORE_VERSION)
        throw new RecoveryError('bad_input', `snapshot store ${this.root} has format ${version}; this Vigil reads format ${STORE_VERSION}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await writeFileAtomic(marker, JSON.stringify({ version: STORE_VERSION }));
    }
    return this;
  }

  blobPath(hash: string): string {
    return path.join(this.blobsDir, hash.slice(0, 2), hash);
  }

  tempPath(): string {
    return path.join(this.tmpDir, randomUUID());
  }

  async blobSize(hash: string): Promise<number | null> {
    try {
      return (await stat(this.blobPath(hash))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Every blob in the store by hash: one listing per prefix directory instead of a stat per blob. */
  async blobHashes(): Promise<Set<string>> {
    const prefixes = await readdir(this.blobsDir);
    const lists = await Promise.all(prefixes.map((prefix) => readdir(path.join(this.blobsDir, prefix))));
    return new Set(lists.flat());
  }

  /**
   * The manifest is stored as the exact bytes that were hashed; reading checks them again. A tree
   * snapshotted again unchanged gives the same manifest: a file that already holds exactly these
   * bytes is not written and flushed again. A damaged one is.
   */
  async writeManifest(manifest: Manifest): Promise<string> {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const hash = createHash('sha256').update(bytes).digest('hex');
    const file = path.join(this.manifestsDir, `${hash}.json`);
    const stored = await readFile(file).catch(() => null);
    if (!stored?.equals(bytes)) await writeFileAtomic(file, bytes);
    return hash;
  }

  /** Checked once, with `schema`: a restore passes its stricter one instead of checking twice. */
  async readManifest(hash: string, schema: ManifestSchema = storedManifestSchema, label = `manifest ${hash.slice(0, 12)}`): Promise<Manifest> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(this.manifestsDir, `${hash}.json`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RecoveryError('corrupt', `manifest ${hash.slice(0, 12)} is missing from the store`);
      throw error;
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== hash) throw new RecoveryError('corrupt', `manifest ${hash.slice(0, 12)} does not match its hash (got ${actual.slice(0, 12)})`);
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new RecoveryError('corrupt', `manifest ${hash.slice(0, 12)} is not valid JSON`);
    }
    return parseManifest(schema, value, label);
  }

  async writeHeader(header: SnapshotHeader): Promise<void> {
    await writeFileAtomic(path.join(this.snapshotsDir, `${header.id}.json`), JSON.stringify(header, null, 1));
  }

  async deleteHeader(id: string): Promise<void> {
    await rm(path.join(this.snapshotsDir, `${id}.json`), { force: true });
  }

  /** Newest first. A header that does not parse is skipped, not fatal: the rest still list. */
  async list(): Promise<SnapshotHeader[]> {
    const names = (await readdir(this.snapshotsDir)).filter((name) => /^[0-9a-z]{12}\.json$/.test(name));
    const headers = await Promise.all(
      names.map(async (name) => {
        const parsed = snapshotHeaderSchema.safeParse(JSON.parse(await readFile(path.join(this.snapshotsDir, name), 'utf8').catch(() => 'null')));
        return parsed.success ? parsed.data : null;
      }),
    );
    return headers.filter((header): header is SnapshotHeader => header !== null).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** By name or by id. */
  async find(ref: string): Promise<SnapshotHeader> {
    const all = await this.list();
    const found = all.find((header) => header.name === ref || header.id === ref);
    if (!found) throw new RecoveryError('not_found', `no snapshot named ${JSON.stringify(ref)}`);
    return found;
  }
}

export async function openStore(root: string): Promise<SnapshotStore> {
  return new SnapshotStore(root).init();
}

export const newSnapshotId = (): string => randomUUID().replace(/-/g, '').slice(0, 12);
