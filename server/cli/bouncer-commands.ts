import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { scopeSchema } from '@/lib/auth/scopes';
import { customBouncerYaml, firewallBouncerYaml, type FirewallMode } from '@/lib/defense/bouncer-config';
import { bouncerNameSchema, type BouncerView } from '@/lib/defense/bouncers';
import { formatRelative } from '@/lib/format';
import { loadCliEnv } from '../env/cli-env';
import { parseArgs, UsageError, type CliCommand, type CliIo } from './command-table';

const modeSchema = z.enum(['nftables', 'iptables']);
const workerUrlSchema = z.url({ protocol: /^https?$/ });

function parseName(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the bouncer' : `unexpected argument ${positionals[1]}`);
  const parsed = bouncerNameSchema.safeParse(positionals[0]);
  if (!parsed.success) throw new UsageError(`bouncer name: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

function parseScopes(text: string | undefined) {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((scope) => {
      const parsed = scopeSchema.safeParse(scope);
      if (!parsed.success) throw new UsageError(parsed.error.issues[0].message);
      return parsed.data;
    });
}

/** The database and the audit chain, as the worker has them; imported only when a command runs. */
async function withBouncerStore<T>(io: CliIo, work: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore(io);
  try {
    return await work(store);
  } finally {
    await store.audit.close();
    await store.database.close();
  }
}

async function openStore(io: CliIo) {
  const env = loadCliEnv(io.env);
  const { database, audit } = await (await import('./cli-audit')).openCliAudit(env);
  const defense = await import('../defense/bouncer-admin');
  const queries = await import('../queries/bouncers');
  return { env, database, audit, defense, queries };
}

const addCommand: CliCommand = {
  path: ['bouncer', 'add'],
  usage: 'vigil bouncer add NAME [--scopes S,…] [--mode nftables|iptables] [--custom --bin PATH] [--worker-url URL] [--output FILE]',
  summary:
    'make a decision-stream key for a CrowdSec bouncer and print it once with a ready crowdsec-firewall-bouncer.yaml (or crowdsec-custom-bouncer.yaml with --custom)',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['custom'], options: ['scopes', 'mode', 'bin', 'worker-url', 'output'] });
    const name = parseName(args.positionals);
    const scopes = parseScopes(args.options.get('scopes'));
    const mode = modeSchema.safeParse(args.options.get('mode') ?? 'nftables');
    if (!mode.success) throw new UsageError('--mode is nftables or iptables');
    if (args.flags.has('custom') && args.options.has('mode')) throw new UsageError('--mode is for the firewall bouncer, not --custom');
    if (args.options.has('bin') && !args.flags.has('custom')) throw new UsageError('--bin goes with --custom');
    const workerUrl = args.options.get('worker-url');
    if (workerUrl !== undefined && !workerUrlSchema.safeParse(workerUrl).success)
      throw new UsageError('--worker-url is an http(s) URL such as http://10.0.0.1:3001');
    return withBouncerStore(io, async ({ env, database, audit, defense }) => {
      let added;
      try {
        added = await defense.addBouncer({ db: database.prisma, audit, name, scopes, actor: 'cli' });
      } catch (error) {
        if (error instanceof defense.BouncerExistsError) {
          io.err(`vigil: ${error.message}`);
          return 1;
        }
        throw error;
      }
      const input = { workerUrl: workerUrl ?? env.workerUrl, apiKey: added.secret, name };
      const yaml = args.flags.has('custom')
        ? customBouncerYaml({ ...input, binPath: args.options.get('bin') ?? '/usr/local/bin/vigil-custom-bouncer-action' })
        : firewallBouncerYaml({ ...input, mode: mode.data as FirewallMode });
      const file = args.options.get('output');
      const configName = args.flags.has('custom') ? 'crowdsec-custom-bouncer.yaml' : 'crowdsec-firewall-bouncer.yaml';
      io.out(`bouncer ${name} added (${added.scopes.join(', ')}). Its API key, shown only now:\n  ${added.secret}`);
      if (file) {
        // The file holds the key: readable by its owner only, as the bouncers' own packages install theirs.
        writeFileSync(path.resolve(file), yaml, { mode: 0o600 });
        io.out(`${configName} written to ${path.resolve(file)}`);
      } else io.out(`\n# ${configName}\n${yaml}`);
      return 0;
    });
  },
};

function table(bouncers: BouncerView[], now: number): string {
  const rows = [['NAME', 'IP ADDRESS', 'VERSION', 'LAST PULL', 'DELIVERED', 'STATUS']];
  for (const b of bouncers) {
    const status = b.revoked ? `${b.status} (revoked)` : b.status;
    rows.push([b.name, b.address ?? '-', b.version ?? '-', b.lastPullAt ? formatRelative(b.lastPullAt, now) : 'never', String(b.delivered), status]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const listCommand: CliCommand = {
  path: ['bouncer', 'list'],
  usage: 'vigil bouncer list [--json]',
  summary: 'the bouncers, where and what they run, when they last pulled and how it went',
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    return withBouncerStore(io, async ({ database, queries }) => {
      const now = Date.now();
      const bouncers = await queries.listBouncerViews(database.prisma, now);
      io.out(
        args.flags.has('json')
          ? JSON.stringify({ bouncers })
          : bouncers.length === 0
            ? 'no bouncers; add one with vigil bouncer add NAME'
            : table(bouncers, now),
      );
      return 0;
    });
  },
};

const deleteCommand: CliCommand = {
  path: ['bouncer', 'delete'],
  usage: 'vigil bouncer delete NAME',
  summary: 'forget a bouncer and revoke its key',
  async run(argv, io) {
    const name = parseName(parseArgs(argv, {}).positionals);
    return withBouncerStore(io, async ({ database, audit, defense }) => {
      if (!(await defense.removeBouncer({ db: database.prisma, audit, name, actor: 'cli' }))) {
        io.err(`vigil: no bouncer named ${name}`);
        return 1;
      }
      io.out(`bouncer ${name} deleted; its key no longer pulls decisions`);
      return 0;
    });
  },
};

export const bouncerCommands: CliCommand[] = [addCommand, listCommand, deleteCommand];
