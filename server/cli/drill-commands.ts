import { SCENARIO_NAMES, scenarioNameSchema, type ScenarioName } from '@/lib/drills/drill-schema';
import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import { dbErrorMessage } from '../db/db-error';
import { drillTable, passingStreaks, readDrillHistory, recordDrillRun, runDrill } from '../drills';
import { loadCliEnv } from '../env/cli-env';
import { createLogger } from '../log';
import { openCliAudit } from './cli-audit';
import { parseArgs, UsageError, type CliCommand } from './command-table';

function scenariosFrom(values: string[] | undefined): ScenarioName[] {
  if (!values) return [...SCENARIO_NAMES];
  return values.map((value) => {
    const parsed = scenarioNameSchema.safeParse(value);
    if (!parsed.success) throw new UsageError(`unknown scenario ${value}; known: ${SCENARIO_NAMES.join(', ')}`);
    return parsed.data;
  });
}

const runCommand: CliCommand = {
  path: ['drill'],
  usage: `vigil drill [--scenario ${SCENARIO_NAMES.join('|')}]... [--harder] [--json]`,
  summary: 'chaos drill: break demo services, measure MTTD/MTTR (exit 1 when one does not recover in time)',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['harder', 'json'], options: ['scenario'], repeatable: ['scenario'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const scenarios = scenariosFrom(args.all.get('scenario'));
    const env = loadCliEnv(io.env);
    const together = args.flags.has('harder') ? passingStreaks(readDrillHistory(env.dataDir), scenarios) : [];
    if (args.flags.has('harder') && together.length < 2)
      io.err(`vigil: --harder: fewer than two scenarios passed their last runs (${together.join(', ') || 'none'}); running them one by one`);
    const run = await runDrill({
      scenarios,
      together,
      actor: 'cli',
      searchPath: env.searchPath,
      log: createLogger('drill', 'warn'),
      onProgress: args.flags.has('json') ? undefined : io.out,
    });
    let database: Database | null = null;
    let audit: AuditWriter | null = null;
    try {
      ({ database, audit } = await openCliAudit(env));
    } catch (error) {
      io.err(`vigil: warning: the database is unavailable (${dbErrorMessage(error)}); the drill is kept in the history file but not audited`);
    }
    try {
      await recordDrillRun({ dataDir: env.dataDir, run, audit });
    } finally {
      await audit?.close();
      await database?.close();
    }
    io.out(args.flags.has('json') ? JSON.stringify(run) : `\n${drillTable(run)}`);
    return run.passed ? 0 : 1;
  },
};

const historyCommand: CliCommand = {
  path: ['drill', 'history'],
  usage: 'vigil drill history [--json]',
  summary: 'past chaos drills, newest first',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json'] });
    const runs = readDrillHistory(loadCliEnv(io.env).dataDir);
    if (args.flags.has('json')) io.out(JSON.stringify(runs));
    else
      for (const run of runs)
        io.out(
          `${run.startedAt}  ${run.passed ? 'passed' : 'FAILED'}${run.harder ? ' (harder)' : ''}  ${run.results.map((r) => `${r.scenario} ${r.skipped ? 'skipped' : `${r.mttdMs ?? '—'}/${r.mttrMs ?? '—'} ms`}`).join(', ')}`,
        );
    return 0;
  },
};

export const drillCommands: CliCommand[] = [runCommand, historyCommand];
