import { EnvError } from '../env/env-error';
import { findCommand, UsageError, usageText, type CliCommand, type CliIo } from './command-table';

/**
 * Every group of `vigil` commands by its first word; each capability adds its own. A group is
 * imported only when asked for, so `vigil snapshot list` does not load the audit verifier or
 * the drills.
 */
const COMMAND_GROUPS: Record<string, () => Promise<CliCommand[]>> = {
  snapshot: async () => (await import('./offsite-commands')).withOffsite((await import('./snapshot-commands')).snapshotCommands),
  audit: async () => (await import('./audit-commands')).auditCommands,
  drill: async () => (await import('./drill-commands')).drillCommands,
  config: async () => (await import('./config-commands')).configCommands,
  bouncer: async () => (await import('./bouncer-commands')).bouncerCommands,
  agent: async () => (await import('./agent-commands')).agentCommands,
};

const wantsHelp = (argv: string[]) => argv.includes('--help') || argv.includes('-h');

/** The commands argv can name: its group's alone, or every one when the usage is printed. */
async function loadCommands(argv: string[]): Promise<CliCommand[]> {
  const group = COMMAND_GROUPS[argv[0]];
  if (group && !wantsHelp(argv)) return group();
  return (await Promise.all(Object.values(COMMAND_GROUPS).map((load) => load()))).flat();
}

/** Exit codes: 0 done, 1 a finding (a broken chain, a damaged snapshot, a rolled-back restore), 2 bad usage or configuration, 3 busy (another operation, or an interrupted restore to settle first). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const commands = await loadCommands(argv);
  const found = findCommand(commands, argv);
  if (!found || wantsHelp(argv)) {
    // A word outside every group, or a group without its second word: the usage lists them all.
    const listed = found ? commands : await loadCommands([]);
    (found || argv.length === 0 || argv.includes('--help') ? io.out : io.err)(usageText(listed));
    return found || wantsHelp(argv) ? 0 : 2;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`vigil: ${error.message}\nusage: ${found.command.usage}`);
      return 2;
    }
    if (error instanceof EnvError) {
      io.err(`vigil: ${error.message}`);
      return 2;
    }
    io.err(`vigil: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

/** Runs `vigil` with this process's arguments and streams; the exit code becomes the process's. */
export async function runCliFromProcess(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}

if (process.argv[1] && /server[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) void runCliFromProcess();
