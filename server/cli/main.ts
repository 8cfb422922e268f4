import { EnvError } from '../env/env-error';
import { auditCommands } from './audit-commands';
import { configCommands } from './config-commands';
import { drillCommands } from './drill-commands';
import { snapshotCommands } from './snapshot-commands';
import { findCommand, UsageError, usageText, type CliCommand, type CliIo } from './command-table';

/** Every command of `vigil`; each capability adds its own list here. */
export const COMMANDS: CliCommand[] = [...snapshotCommands, ...auditCommands, ...drillCommands, ...configCommands];

/** Exit codes: 0 done, 1 a finding (a broken chain, a damaged snapshot, a rolled-back restore), 2 bad usage or configuration, 3 busy (another operation, or an interrupted restore to settle first). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const found = findCommand(COMMANDS, argv);
  if (!found || argv.includes('--help') || argv.includes('-h')) {
    (found || argv.length === 0 || argv.includes('--help') ? io.out : io.err)(usageText(COMMANDS));
    return found || argv.includes('--help') || argv.includes('-h') ? 0 : 2;
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

if (process.argv[1] && /server[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) {
  void runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
