import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, lstatSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { snapshotsConfigSchema, type SnapshotsConfig } from '@/lib/config/config-schema';
import type { AuditEventInput } from '@/lib/audit/types';
import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import { RecoveryService } from './recovery-service';

/** A directory tree as a map: relative path → file content, `/` suffix for dirs, `-> x` for links. */
export function readTree(root: string): Record<string, string> {
  const tree: Record<string, string> = {};
  const visit = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.vigil-restore-')) continue;
      const abs = path.join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      const stats = lstatSync(abs);
      if (stats.isSymbolicLink()) tree[rel] = `-> ${readlinkSync(abs)}`;
      else if (stats.isDirectory()) {
        tree[`${rel}/`] = '';
        visit(abs, rel);
      } else tree[rel] = readFileSync(abs, 'utf8');
    }
  };
  visit(root, '');
  return tree;
}

/**
 * Everything about a tree an attack could change, one line per entry: name, type, mode, owner,
 * link count, and the content's hash or the link's target. Subtrees in `skip` (absolute paths)
 * are left out.
 */
export function treeDigest(root: string, skip: readonly string[] = []): string[] {
  const lines: string[] = [];
  const visit = (abs: string, rel: string) => {
    if (skip.includes(abs)) return;
    const stats = lstatSync(abs);
    const meta = `${(stats.mode & 0o170000).toString(8)} ${(stats.mode & 0o7777).toString(8)} ${stats.uid}:${stats.gid} n${stats.nlink}`;
    if (stats.isSymbolicLink()) lines.push(`${rel} link ${meta} -> ${readlinkSync(abs)}`);
    else if (stats.isDirectory()) {
      lines.push(`${rel}/ dir ${meta}`);
      for (const name of readdirSync(abs).sort()) visit(path.join(abs, name), rel ? `${rel}/${name}` : name);
    } else lines.push(`${rel} file ${meta} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`);
  };
  visit(root, '');
  return lines;
}

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

export interface ServiceHarness {
  service: RecoveryService;
  audit: AuditEventInput[];
  /** Every progress report, in order, as the console and the CLI receive them. */
  progress: RecoveryProgress[];
  config: SnapshotsConfig;
  setConfig(patch: Partial<SnapshotsConfig>): void;
}

/** `onProgress` sees each report as it is made, in the middle of the operation that makes it. */
export function recoveryHarness(
  dataDir: string,
  config: Partial<SnapshotsConfig> = {},
  { onProgress }: { onProgress?: (update: RecoveryProgress) => void } = {},
): ServiceHarness {
  const audit: AuditEventInput[] = [];
  const progress: RecoveryProgress[] = [];
  const harness: ServiceHarness = {
    audit,
    progress,
    config: snapshotsConfigSchema.parse({ includeVigilState: false, ...config }),
    setConfig(patch) {
      harness.config = { ...harness.config, ...patch };
    },
    service: new RecoveryService({
      dataDir,
      config: () => harness.config,
      state: null,
      audit: { append: async (event) => void audit.push(event) },
      searchPath: '/usr/local/bin:/usr/bin:/bin',
      onProgress: (update) => {
        progress.push(update);
        onProgress?.(update);
      },
    }),
  };
  return harness;
}
