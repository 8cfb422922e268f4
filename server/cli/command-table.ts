/** What a command prints and returns; main.ts turns it into output and an exit code. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The environment to read; the process's own when omitted. */
  env?: Record<string, string | undefined>;
}

export interface CliCommand {
  /** The words that select it, e.g. ['audit', 'verify']. */
  path: string[];
  usage: string;
  summary: string;
  /** Resolves with the exit code: 0 success, 1 a finding (e.g. a broken chain). */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Bad arguments: exit code 2 with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArgs {
  flags: Set<string>;
  /** The last value of each option. */
  options: Map<string, string>;
  /** Every value of each option given more than once (e.g. --path a --path b). */
  all: Map<string, string[]>;
  positionals: string[];
}

/** --flag, --option VALUE / --option=VALUE and positionals; each command says which it takes. */
export function parseArgs(argv: string[], spec: { flags?: string[]; options?: string[]; repeatable?: string[] }): ParsedArgs {
  const flags = new Set<string>();
  const options = new Map<string, string>();
  const all = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (spec.flags?.includes(name) && inline === undefined) flags.add(name);
    else if (spec.options?.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      if (options.has(name) && !spec.repeatable?.includes(name)) throw new UsageError(`--${name} is given twice`);
      options.set(name, value);
      all.set(name, [...(all.get(name) ?? []), value]);
    } else throw new UsageError(`unknown option --${name}`);
  }
  return { flags, options, all, positionals };
}

/** The longest command path that prefixes argv wins; the rest are its arguments. */
export function findCommand(commands: CliCommand[], argv: string[]): { command: CliCommand; rest: string[] } | null {
  let best: CliCommand | null = null;
  for (const command of commands) {
    if (command.path.every((word, i) => argv[i] === word) && (!best || command.path.length > best.path.length)) best = command;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : null;
}

export function usageText(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return ['usage:', ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`)].join('\n');
}
