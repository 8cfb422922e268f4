import { formatRelative } from '@/lib/format';
import type { OffsiteCopyView, OffsiteForgetView, OffsiteOverviewView } from '@/lib/recovery/offsite-views';
import { parseArgs, UsageError, type CliCommand, type CliIo } from './command-table';
import { describeRestore, withRecovery } from './snapshot-commands';
import { alignColumns } from './text-table';

const verified = (copy: OffsiteCopyView) => (copy.verifiedAt ? `${copy.verifyOk ? 'ok' : 'FAILED'} ${formatRelative(copy.verifiedAt)}` : 'never');

export function copiesTable(copies: readonly OffsiteCopyView[], repo: string): string {
  if (copies.length === 0) return `no Vigil snapshots in ${repo} yet: vigil snapshot copy NAME --to ${repo}`;
  return alignColumns([
    ['NAME', 'ID', 'RESTIC', 'COPIED', 'VERIFIED'],
    ...copies.map((c) => [c.snapshotName, c.snapshotId, c.resticId.slice(0, 8), formatRelative(c.copiedAt), verified(c)]),
  ]);
}

function describeForget(result: OffsiteForgetView): string {
  const lines = [`${result.dryRun ? 'would remove' : 'removed'} ${result.remove.length} copies from ${result.repo}, ${result.keep.length} kept`];
  for (const copy of result.remove) lines.push(`  - ${copy.snapshotName} (${copy.resticId.slice(0, 8)}, copied ${formatRelative(copy.copiedAt)})`);
  for (const copy of result.keep) lines.push(`  = ${copy.snapshotName} (${copy.resticId.slice(0, 8)})`);
  if (result.dryRun && result.remove.length > 0) lines.push(`apply with: vigil snapshot offsite forget ${result.repo} --apply`);
  return lines.join('\n');
}

function describeOverview(overview: OffsiteOverviewView): string {
  if (!overview.enabled) return `off-site copies are off: ${overview.reason}`;
  return overview.repositories
    .map((repo) => {
      const copies = overview.copies.filter((c) => c.repo === repo.name);
      const check = repo.lastCheck ? `${repo.lastCheck.ok ? 'ok' : 'FAILED'} ${formatRelative(repo.lastCheck.at)}` : 'never';
      const error = repo.lastError ? `\n  last error ${formatRelative(repo.lastError.at)}: ${repo.lastError.message}` : '';
      return `${repo.name}  ${repo.repository}\n  ${copies.length} copies, last copy ${repo.lastCopyAt ? formatRelative(repo.lastCopyAt) : 'never'}, last check ${check}${error}`;
    })
    .join('\n');
}

const copyCommand: CliCommand = {
  path: ['snapshot', 'copy'],
  usage: 'vigil snapshot copy NAME --to REPOSITORY [--json]',
  summary: 'copy a snapshot into an off-site restic repository (encrypted by restic)',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json'], options: ['to'] });
    const [ref] = args.positionals;
    const to = args.options.get('to');
    if (!ref) throw new UsageError('which snapshot? give its name');
    if (!to) throw new UsageError('--to names the off-site repository (snapshots.offsite[].name)');
    const json = args.flags.has('json');
    return withRecovery(io, json, async ({ service }) => {
      const copy = await service.offsite.copy({ ref, to, actor: 'cli' });
      io.out(json ? JSON.stringify(copy) : `copied ${copy.snapshotName} to ${copy.repo} (restic snapshot ${copy.resticId.slice(0, 8)})`);
      return 0;
    });
  },
};

async function listOffsite(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { flags: ['json'], options: ['offsite'] });
  const from = args.options.get('offsite') as string;
  const json = args.flags.has('json');
  return withRecovery(
    io,
    json,
    async ({ service }) => {
      const copies = await service.offsite.list({ from });
      io.out(json ? JSON.stringify(copies) : copiesTable(copies, from));
      return 0;
    },
    { database: false },
  );
}

async function restoreOffsite(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'dry-run', 'mirror'], options: ['from', 'target', 'reason'] });
  const [ref] = args.positionals;
  if (!ref) throw new UsageError('which snapshot? give its name');
  const json = args.flags.has('json');
  return withRecovery(io, json, async ({ service }) => {
    const result = await service.offsite.restore({
      ref,
      from: args.options.get('from') as string,
      targetDir: args.options.get('target'),
      mirror: args.flags.has('mirror'),
      dryRun: args.flags.has('dry-run'),
      actor: 'cli',
      reason: args.options.get('reason') ?? 'restored from the command line',
    });
    io.out(json ? JSON.stringify(result) : describeRestore(result));
    return result.outcome === 'rolled-back' ? 1 : 0;
  });
}

const checkCommand: CliCommand = {
  path: ['snapshot', 'offsite', 'check'],
  usage: 'vigil snapshot offsite check REPOSITORY [--read-data-subset 5%] [--json]',
  summary: 'restic check, then restore the newest copy into a scratch directory and compare it with its manifest',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json'], options: ['read-data-subset'] });
    const [repo] = args.positionals;
    if (!repo) throw new UsageError('which off-site repository? give its name');
    const json = args.flags.has('json');
    return withRecovery(io, json, async ({ service }) => {
      const result = await service.offsite.check({ repo, actor: 'cli', readDataSubset: args.options.get('read-data-subset') });
      io.out(json ? JSON.stringify(result) : `${repo}: ${result.ok ? '' : 'FAILED: '}${result.message}`);
      return result.ok ? 0 : 1;
    });
  },
};

const initCommand: CliCommand = {
  path: ['snapshot', 'offsite', 'init'],
  usage: 'vigil snapshot offsite init REPOSITORY [--json]',
  summary: 'restic init of a configured repository (its password from the configured file or variable)',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json'] });
    const [repo] = args.positionals;
    if (!repo) throw new UsageError('which off-site repository? give its name');
    const json = args.flags.has('json');
    return withRecovery(io, json, async ({ service }) => {
      const result = await service.offsite.init({ repo, actor: 'cli' });
      io.out(json ? JSON.stringify(result) : `initialised ${result.repo} (${result.repository}), restic repository ${result.resticId}`);
      return 0;
    });
  },
};

const forgetCommand: CliCommand = {
  path: ['snapshot', 'offsite', 'forget'],
  usage: 'vigil snapshot offsite forget REPOSITORY [--apply] [--json]',
  summary: "show what the repository's retention (keep) would remove; --apply runs restic forget --prune",
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json', 'apply'] });
    const [repo] = args.positionals;
    if (!repo) throw new UsageError('which off-site repository? give its name');
    const json = args.flags.has('json');
    return withRecovery(io, json, async ({ service }) => {
      const result = await service.offsite.forget({ repo, dryRun: !args.flags.has('apply'), actor: 'cli' });
      io.out(json ? JSON.stringify(result) : describeForget(result));
      return 0;
    });
  },
};

const statusCommand: CliCommand = {
  path: ['snapshot', 'offsite', 'status'],
  usage: 'vigil snapshot offsite status [--json]',
  summary: 'each off-site repository: its copies, last copy, last check and last error',
  async run(argv, io) {
    const json = parseArgs(argv, { flags: ['json'] }).flags.has('json');
    return withRecovery(
      io,
      json,
      async ({ service }) => {
        const overview = await service.offsite.overview();
        io.out(json ? JSON.stringify(overview) : describeOverview(overview));
        return overview.enabled || overview.repositories.length === 0 ? 0 : 2;
      },
      { database: false },
    );
  },
};

const names = (argv: string[], option: string) => argv.some((arg) => arg === `--${option}` || arg.startsWith(`--${option}=`));

/** `snapshot list --offsite R` and `snapshot restore N --from R` reach a repository; without those options the commands are the local ones. */
function reaching(command: CliCommand, option: string, usage: string, run: (argv: string[], io: CliIo) => Promise<number>): CliCommand {
  return { ...command, usage, run: (argv, io) => (names(argv, option) ? run(argv, io) : command.run(argv, io)) };
}

/** The snapshot commands with the off-site ones added. */
export function withOffsite(commands: CliCommand[]): CliCommand[] {
  return [
    ...commands.map((command) => {
      const path = command.path.join(' ');
      if (path === 'snapshot list') return reaching(command, 'offsite', 'vigil snapshot list [--offsite REPOSITORY] [--json]', listOffsite);
      if (path === 'snapshot restore') return reaching(command, 'from', `${command.usage} | NAME --from REPOSITORY [--target DIR]`, restoreOffsite);
      return command;
    }),
    copyCommand,
    initCommand,
    checkCommand,
    forgetCommand,
    statusCommand,
  ];
}
