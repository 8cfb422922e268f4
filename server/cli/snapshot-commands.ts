import { SNAPSHOT_TAGS, snapshotTagSchema, type SnapshotHeader, type SnapshotTag } from '@/lib/recovery/snapshot-schema';
import { formatBytes, formatCount, formatRelative } from '@/lib/format';
import { RecoveryError, type RestoreResult } from '../recovery';
import { parseArgs, UsageError, type CliCommand, type CliIo } from './command-table';
import { progressPrinter } from './progress-bar';
import { alignColumns } from './text-table';
import { openRecoveryContext, type RecoveryContext } from './recovery-context';

const n = formatCount;

/** 1 = the operation found damage or undid itself (the target is as it was), 3 = try later. */
const EXIT_FOR: Partial<Record<RecoveryError['code'], number>> = {
  bad_input: 2,
  not_found: 2,
  exists: 2,
  busy: 3,
  interrupted_restore: 3,
};

export async function withRecovery(io: CliIo, json: boolean, run: (context: RecoveryContext) => Promise<number>, { database = true } = {}): Promise<number> {
  const isTty = !json && process.stderr.isTTY === true && io.env === undefined;
  const onProgress = json ? undefined : progressPrinter((text) => process.stderr.write(text), isTty);
  const context = await openRecoveryContext(io, { onProgress, database });
  try {
    return await run(context);
  } catch (error) {
    if (!(error instanceof RecoveryError)) throw error;
    if (json) io.out(JSON.stringify({ ok: false, error: { code: error.code, message: error.message } }));
    else io.err(`vigil: ${error.message}`);
    return EXIT_FOR[error.code] ?? 1;
  } finally {
    await context.close();
  }
}

export function snapshotTable(snapshots: readonly SnapshotHeader[]): string {
  if (snapshots.length === 0) return 'no snapshots yet: vigil snapshot create --name NAME';
  const rows = [
    ['NAME', 'TAGS', 'CREATED', 'FILES', 'SIZE', 'VERIFIED'],
    ...snapshots.map((s) => [
      s.name,
      s.tags.join(',') || '-',
      formatRelative(s.createdAt),
      n(s.files),
      formatBytes(s.bytes),
      s.lastVerification ? `${s.lastVerification.ok ? 'ok' : 'DAMAGED'} ${formatRelative(s.lastVerification.at)}` : 'never',
    ]),
  ];
  return alignColumns(rows);
}

export function describeRestore(result: RestoreResult): string {
  const lines = [];
  if (result.outcome === 'dry-run') {
    lines.push(`dry run: restoring ${result.snapshot.name} would change ${n(result.changes.length)} paths (${formatBytes(result.bytesWritten)} to write)`);
    for (const change of result.changes) lines.push(`  ${{ add: '+', modify: '~', remove: '-', mode: 'm' }[change.change]} ${change.path}`);
    return lines.join('\n');
  }
  if (result.outcome === 'rolled-back') return `restore of ${result.snapshot.name} was ROLLED BACK: ${result.rollbackReason}`;
  const rate = result.durationMs > 0 ? ` (${formatBytes((result.bytesWritten * 1000) / result.durationMs)}/s)` : '';
  return result.outcome === 'up-to-date'
    ? `${result.snapshot.name}: the target already matches the snapshot`
    : `restored ${result.snapshot.name}: ${n(result.filesWritten)} files, ${formatBytes(result.bytesWritten)} written, ${n(result.removed)} removed in ${(result.durationMs / 1000).toFixed(1)} s${rate}`;
}

const createCommand: CliCommand = {
  path: ['snapshot', 'create'],
  usage: 'vigil snapshot create [--name NAME] [--tag golden|safe|scheduled|manual]… [--path P]… [--json]',
  summary: 'snapshot the configured sources (or the given paths) and Vigil state',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json'], options: ['name', 'tag', 'path'], repeatable: ['tag', 'path'] });
    const tags = (args.all.get('tag') ?? ['manual']).map((tag) => {
      const parsed = snapshotTagSchema.safeParse(tag);
      if (!parsed.success) throw new UsageError(`--tag must be one of ${SNAPSHOT_TAGS.join(', ')}`);
      return parsed.data as SnapshotTag;
    });
    const json = args.flags.has('json');
    return withRecovery(io, json, async ({ service }) => {
      const header = await service.create({ name: args.options.get('name'), tags, actor: 'cli', paths: args.all.get('path') });
      io.out(
        json
          ? JSON.stringify(header)
          : `created ${header.name} (${header.id}): ${n(header.files)} files, ${formatBytes(header.bytes)}, ${formatBytes(header.newBytes)} new, in ${(header.durationMs / 1000).toFixed(1)} s\nmanifest ${header.manifestHash}`,
      );
      return 0;
    });
  },
};

const listCommand: CliCommand = {
  path: ['snapshot', 'list'],
  usage: 'vigil snapshot list [--json]',
  summary: 'list snapshots, newest first, with size and last verification',
  async run(argv, io) {
    const json = parseArgs(argv, { flags: ['json'] }).flags.has('json');
    return withRecovery(
      io,
      json,
      async ({ service }) => {
        const overview = await service.overview();
        if (json) io.out(JSON.stringify(overview));
        else {
          io.out(snapshotTable(overview.snapshots));
          if (overview.golden.stale) io.out(`\nwarning: no verified golden snapshot younger than ${overview.golden.maxAgeHours} h`);
          const pending = overview.pendingRestore;
          if (pending?.problem) io.out(`\nwarning: ${pending.problem}`);
          else if (pending) io.out(`\nwarning: an interrupted restore of ${pending.snapshotName} is pending (--resume or --rollback)`);
        }
        return 0;
      },
      { database: false },
    );
  },
};

const verifyCommand: CliCommand = {
  path: ['snapshot', 'verify'],
  usage: 'vigil snapshot verify NAME [--json]',
  summary: 're-hash every blob of a snapshot (exit 1 when anything is damaged)',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json'] });
    const [ref] = args.positionals;
    if (!ref) throw new UsageError('which snapshot? give its name');
    const json = args.flags.has('json');
    return withRecovery(io, json, async ({ service }) => {
      const { summary, header } = await service.verify({ ref, actor: 'cli' });
      if (json) io.out(JSON.stringify(summary));
      else if (summary.ok) io.out(`${header.name}: verified ${n(summary.files)} files, ${formatBytes(summary.bytes)}`);
      else
        io.out(
          [`${header.name}: DAMAGED, ${summary.problems.length} problems`, ...summary.problems.map((p) => `  ${p.problem} ${p.path}: ${p.message}`)].join('\n'),
        );
      return summary.ok ? 0 : 1;
    });
  },
};

const restoreCommand: CliCommand = {
  path: ['snapshot', 'restore'],
  usage: 'vigil snapshot restore NAME [--target DIR] [--dry-run] [--mirror] [--reason TEXT] [--json] | --resume | --rollback',
  summary: 'verify, then restore atomically (rolls back if the health gate fails)',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json', 'dry-run', 'mirror', 'resume', 'rollback'], options: ['target', 'reason'] });
    const json = args.flags.has('json');
    const [ref] = args.positionals;
    const settle = args.flags.has('resume') ? 'resume' : args.flags.has('rollback') ? 'rollback' : null;
    if (!settle && !ref) throw new UsageError('which snapshot? give its name (or --resume / --rollback)');
    const reason = args.options.get('reason') ?? 'restored from the command line';
    return withRecovery(io, json, async ({ service }) => {
      const result = settle
        ? await service.settle({ action: settle, actor: 'cli', reason })
        : await service.restore({
            ref,
            targetDir: args.options.get('target'),
            mirror: args.flags.has('mirror'),
            dryRun: args.flags.has('dry-run'),
            actor: 'cli',
            reason,
          });
      io.out(json ? JSON.stringify(result) : describeRestore(result));
      return result.outcome === 'rolled-back' && settle !== 'rollback' ? 1 : 0;
    });
  },
};

const diffCommand: CliCommand = {
  path: ['snapshot', 'diff'],
  usage: 'vigil snapshot diff NAME [OTHER] [--json]',
  summary: 'what changed between two snapshots, or since NAME on disk',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json'] });
    const [ref, against] = args.positionals;
    if (!ref) throw new UsageError('which snapshot? give its name');
    const json = args.flags.has('json');
    return withRecovery(io, json, async ({ service }) => {
      const lines = await service.diff({ ref, against });
      if (json) io.out(JSON.stringify(lines));
      else if (lines.length === 0) io.out(`no differences between ${ref} and ${against ?? 'the live files'}`);
      else
        io.out(
          lines
            .map(
              (l) =>
                `${{ added: '+', removed: '-', changed: '~' }[l.change]} ${l.path}${l.before || l.after ? `  ${l.before?.slice(0, 12) ?? ''} → ${l.after?.slice(0, 12) ?? ''}` : ''}`,
            )
            .join('\n'),
        );
      return 0;
    });
  },
};

const pruneCommand: CliCommand = {
  path: ['snapshot', 'prune'],
  usage: 'vigil snapshot prune [--dry-run] [--json]',
  summary: 'forget snapshots the retention policy lets go and free unreferenced blobs',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json', 'dry-run'] });
    const json = args.flags.has('json');
    return withRecovery(io, json, async ({ service }) => {
      const result = await service.prune({ dryRun: args.flags.has('dry-run'), actor: 'cli' });
      const verb = result.dryRun ? 'would remove' : 'removed';
      io.out(
        json
          ? JSON.stringify(result)
          : `${verb} ${result.removedSnapshots.length} snapshots${result.removedSnapshots.length ? ` (${result.removedSnapshots.join(', ')})` : ''} and ${n(result.removedBlobs)} blobs, ${formatBytes(result.freedBytes)}; ${result.keptSnapshots} kept`,
      );
      return 0;
    });
  },
};

export const snapshotCommands: CliCommand[] = [createCommand, listCommand, verifyCommand, restoreCommand, diffCommand, pruneCommand];
