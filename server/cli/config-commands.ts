import path from 'node:path';
import type { VigilConfig } from '@/lib/config/config-schema';
import { loadConfigFile } from '../config/config-file';
import { loadCliEnv } from '../env/cli-env';
import { parseArgs, UsageError, type CliCommand } from './command-table';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** One line of what the file configures, so a check that passes still shows what will be applied. */
function summary(config: VigilConfig): string {
  const kinds = new Map<string, number>();
  for (const { kind } of config.modules) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  const byKind = [...kinds].map(([kind, count]) => `${count} ${kind}`).join(', ');
  return [
    `${plural(config.modules.length, 'module')}${byKind ? ` (${byKind})` : ''}`,
    plural(config.snapshots.sources.length, 'snapshot source'),
    plural(config.logs.files.length, 'tailed log'),
    plural(config.integrity.paths.length, 'integrity path'),
    plural(config.notifications.channels.length, 'notification channel'),
  ].join(', ');
}

const checkCommand: CliCommand = {
  path: ['config', 'check'],
  usage: 'vigil config check [FILE] [--json]',
  summary: 'validate a configuration file before saving it over the live one (default VIGIL_CONFIG); exit 1 with each problem and its line',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json'] });
    if (args.positionals.length > 1) throw new UsageError(`unexpected argument ${args.positionals[1]}`);
    const file = args.positionals[0] ? path.resolve(args.positionals[0]) : loadCliEnv(io.env).configPath;
    const loaded = loadConfigFile(file);
    if (!loaded.exists) {
      const why = loaded.problems[0]?.message ?? 'no such file';
      io.err(`vigil: ${file}: ${why}`);
      return 2;
    }
    if (args.flags.has('json')) {
      io.out(JSON.stringify({ file, ok: loaded.problems.length === 0, problems: loaded.problems, modules: loaded.config.modules.map((m) => m.name) }));
      return loaded.problems.length === 0 ? 0 : 1;
    }
    if (loaded.problems.length > 0) {
      io.err(`${file}: ${plural(loaded.problems.length, 'problem')}; the worker would refuse it and keep the configuration it has`);
      // file:line: field: message, as compilers print it, so editors can jump to each one.
      for (const p of loaded.problems) io.err(`  ${file}${p.line ? `:${p.line}` : ''}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
      return 1;
    }
    io.out(`ok: ${file}: ${summary(loaded.config)}`);
    return 0;
  },
};

export const configCommands: CliCommand[] = [checkCommand];
