import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { verifyAndRecord, type VerificationResult } from '../audit/audit-verifier';
import { checkpointExportLines } from '../audit/checkpoint-export';
import { loadCheckpointKey, type CheckpointKey } from '../audit/checkpoint-key';
import { openDatabase, type Database } from '../db/client';
import { loadCliEnv, type CliEnv } from '../env/cli-env';
import { EnvError } from '../env/env-error';
import { formatCount } from '@/lib/format';
import { parseArgs, UsageError, type CliCommand, type CliIo } from './command-table';

const n = formatCount;

async function withDatabase<T>(env: CliEnv, run: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ url: env.databaseUrl, busyTimeoutMs: Math.max(env.sqliteBusyTimeoutMs, 2000), poolSize: 2 });
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

/** The range a run covered, so an auditor sees what was (and was not) checked. */
function coverage(result: VerificationResult): string {
  const to = result.toSeq ?? result.verifiedThrough?.seq ?? result.fromSeq;
  if (to <= result.fromSeq) return `covered no events (${result.mode}, nothing after #${result.fromSeq})`;
  return `covered #${result.fromSeq + 1} to #${to}: ${n(to - result.fromSeq)} events (${result.mode}${result.fromSeq > 0 ? `, from #${result.fromSeq}` : ''})`;
}

export function describeResult(result: VerificationResult): string {
  const through = result.verifiedThrough ? `up to #${result.verifiedThrough.seq} (${result.verifiedThrough.at})` : 'no events';
  const stats = `${n(result.events)} events, ${through}, ${n(result.checkpointsChecked)} checkpoints, ${n(result.eventsPerSecond)} events/s`;
  if (result.ok) return `chain verified: ${stats}\n  ${coverage(result)}`;
  const breaks = (result.breaks ?? []).map((b) => `#${b.seq} (${b.problem})`).join(', ');
  return [
    `chain BROKEN at event #${result.firstBadSeq}: ${result.problem}: ${result.message}`,
    ...(breaks ? [`  broken events: ${breaks}`] : []),
    `  ${coverage(result)}`,
    `  checked before the break: ${stats}`,
  ].join('\n');
}

function requireKey(env: CliEnv): CheckpointKey {
  const key = loadCheckpointKey(env.auditKeyPath, { create: false });
  if (!key) throw new EnvError(`VIGIL_AUDIT_KEY_PATH: no signing key at ${env.auditKeyPath}; point it at the worker's key`);
  return key;
}

const verifyCommand: CliCommand = {
  path: ['audit', 'verify'],
  usage: 'vigil audit verify [--incremental] [--json]',
  summary: 'verify the whole audit chain and its signed checkpoints (exit 1 when broken); --incremental resumes after the last verified checkpoint',
  async run(argv, io: CliIo) {
    // --full is what a run does anyway; it is still accepted so existing scripts keep working.
    const args = parseArgs(argv, { flags: ['full', 'incremental', 'json'] });
    if (args.flags.has('full') && args.flags.has('incremental')) throw new UsageError('use either --full or --incremental');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const env = loadCliEnv(io.env);
    const key = loadCheckpointKey(env.auditKeyPath, { create: false });
    const result = await withDatabase(env, async (database) => {
      if (!key && (await database.prisma.auditCheckpoint.count()) > 0) {
        throw new EnvError(`VIGIL_AUDIT_KEY_PATH: no signing key at ${env.auditKeyPath}, so the signed checkpoints cannot be checked`);
      }
      // An auditor's run checks everything: resuming from a checkpoint would miss an edit of an already verified event.
      return verifyAndRecord({ database, key, mode: args.flags.has('incremental') ? 'incremental' : 'full' });
    });
    io.out(args.flags.has('json') ? JSON.stringify(result) : describeResult(result));
    return result.ok ? 0 : 1;
  },
};

const checkpointsCommand: CliCommand = {
  path: ['audit', 'checkpoints'],
  usage: 'vigil audit checkpoints --export FILE',
  summary: 'write the signed checkpoints and the public key as NDJSON (- for stdout)',
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['export'] });
    const file = args.options.get('export');
    if (!file) throw new UsageError('--export FILE is required');
    const env = loadCliEnv(io.env);
    const key = requireKey(env);
    let count = 0;
    await withDatabase(env, async (database) => {
      const sink = file === '-' ? process.stdout : createWriteStream(file, { mode: 0o644 });
      for await (const line of checkpointExportLines(database, key)) {
        count += 1;
        if (!sink.write(line)) await once(sink, 'drain');
      }
      if (sink !== process.stdout) {
        sink.end();
        await finished(sink);
      }
    });
    if (file !== '-') io.err(`wrote ${n(Math.max(count - 1, 0))} checkpoint lines and the public key (${key.keyId}) to ${file}`);
    return 0;
  },
};

export const auditCommands: CliCommand[] = [verifyCommand, checkpointsCommand];
