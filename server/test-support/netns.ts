import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIpv4, parseSource, rangesOverlap, type ParsedSource } from '../../lib/defense/ip-prefix';
import { requireProgram } from './system-program';
import { waitFor } from './wait';

/**
 * A test host: a network namespace of its own joined to this machine by a veth pair, so a client
 * run inside it reaches a server here from an address that is neither loopback nor any of the
 * machine's own. Each namespace has its own veth and /30, so several make distinct hosts.
 */
export interface NetnsHost {
  /** `vigil-<created, base 36 seconds>-<random>`: the prefix and age let a later run remove it. */
  name: string;
  /** The veth end on this machine; servers listen on hostAddress. */
  hostInterface: string;
  hostAddress: string;
  /** Where the namespace's clients come from. */
  nsAddress: string;
  /** Runs a program inside the namespace (`ip netns exec`); rejects, with its stderr, on a non-zero exit. */
  exec(command: string, args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** Ends what still runs inside and removes the namespace, its link and its route; safe to repeat. */
  destroy(): Promise<void>;
}

/** Sends GETs from wherever it runs and prints their statuses as JSON (see its header). */
// From the module's URL, not __dirname: benchmarks load these helpers as ES modules too.
const NETNS_CLIENT_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'netns-client.mjs');

/**
 * A namespace older than this was left by a run that was killed before its cleanup: no test file
 * holds one this long, so removing it cannot pull a namespace from under a run still going.
 */
export const NETNS_STALE_AFTER_MS = 15 * 60_000;

export const NAME_PREFIX = 'vigil-';
const NAME_PATTERN = new RegExp(`^${NAME_PREFIX}([0-9a-z]{1,10})-([0-9a-f]{6})$`);
/** Interface names stop at 15 characters, so the host end carries the namespace's random part only. */
export const hostInterfaceFor = (id: string): string => `vigil${id}`;
/** Private addresses only ever assigned inside namespaces made here; never a default route. */
const PRIVATE_RANGE = parseSource('10.0.0.0/8')!;

/** Root and iproute2, or an error naming which is missing: these tests never skip. */
export function requireNetnsSupport(): string {
  const ip = requireProgram({ paths: ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'], aptPackage: 'iproute2' });
  if (process.getuid?.() !== 0) {
    throw new Error('test hosts in network namespaces need root (ip netns add and veth links need CAP_SYS_ADMIN and CAP_NET_ADMIN): run the tests as root');
  }
  return ip;
}

export function run(ip: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(ip, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`ip ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Every IPv4 destination this machine routes somewhere, in any table, except the default route. */
export async function routedRanges(ip: string): Promise<ParsedSource[]> {
  const lines = (await run(ip, ['-4', '-o', 'route', 'show', 'table', 'all'])).split('\n');
  const types = new Set(['unicast', 'local', 'broadcast', 'multicast', 'anycast', 'unreachable', 'blackhole', 'prohibit', 'throw', 'nat']);
  return lines.flatMap((line) => {
    const words = line.trim().split(/\s+/);
    const destination = types.has(words[0]) ? words[1] : words[0];
    const parsed = destination && destination !== 'default' ? parseSource(destination) : null;
    return parsed ? [parsed] : [];
  });
}

/**
 * A random /30 in 10/8 that overlaps nothing routed here, so a parallel run's namespaces (their
 * routes are visible) and the machine's own networks are never shadowed.
 */
async function pickFreeSubnet(ip: string): Promise<{ hostAddress: string; nsAddress: string }> {
  const taken = await routedRanges(ip);
  for (let attempt = 0; attempt < 50; attempt++) {
    const network = (PRIVATE_RANGE.network as number) + randomInt(0, 1 << 22) * 4;
    const candidate = parseSource(`${formatIpv4(network)}/30`)!;
    if (!taken.some((range) => rangesOverlap(range, candidate))) {
      return { hostAddress: formatIpv4(network + 1), nsAddress: formatIpv4(network + 2) };
    }
  }
  throw new Error('no free /30 in 10.0.0.0/8 for a test namespace: the routing table covers all of it');
}

async function killProcessesIn(ip: string, name: string): Promise<void> {
  const pids = (await run(ip, ['netns', 'pids', name]).catch(() => '')).split('\n').filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Deleting either veth end takes the pair and its route; the namespace goes once nothing runs in it. */
export async function removeNamespace(ip: string, name: string, hostInterface: string): Promise<void> {
  await killProcessesIn(ip, name);
  if (existsSync(`/sys/class/net/${hostInterface}`)) await run(ip, ['link', 'del', hostInterface]).catch(() => undefined);
  await run(ip, ['netns', 'del', name]).catch(() => undefined);
}

/** Namespaces of ours (by name) whose creation time says a killed run left them behind. */
export async function removeStaleNamespaces(ip: string, now: number): Promise<void> {
  const names = (await run(ip, ['netns', 'list'])).split('\n').map((line) => line.split(' ')[0]);
  for (const name of names) {
    const match = NAME_PATTERN.exec(name ?? '');
    if (match && now - parseInt(match[1], 36) * 1000 > NETNS_STALE_AFTER_MS) await removeNamespace(ip, name, hostInterfaceFor(match[2]));
  }
}

export function linkIsUp(ip: string, args: string[]): Promise<boolean> {
  return run(ip, args).then((out) => /\bLOWER_UP\b/.test(out) && /state UP/.test(out));
}

export function execIn(ip: string, name: string, children: Set<ChildProcess>, command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ip, ['netns', 'exec', name, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      children.delete(child);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} in namespace ${name} ended with ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}

/**
 * Makes one test host. Also removes the namespaces killed runs left behind. `now` is the clock
 * its name records (a test ages a namespace with it).
 */
export async function createNetnsHost({ now = Date.now }: { now?: () => number } = {}): Promise<NetnsHost> {
  const ip = requireNetnsSupport();
  await removeStaleNamespaces(ip, Date.now());
  const id = randomBytes(3).toString('hex');
  const name = `${NAME_PREFIX}${Math.floor(now() / 1000).toString(36)}-${id}`;
  const hostInterface = hostInterfaceFor(id);
  const children = new Set<ChildProcess>();
  let destroyed: Promise<void> | null = null;
  const destroy = (): Promise<void> => {
    destroyed ??= (async () => {
      for (const child of children) child.kill('SIGKILL');
      await removeNamespace(ip, name, hostInterface);
    })();
    return destroyed;
  };

  await run(ip, ['netns', 'add', name]);
  try {
    const { hostAddress, nsAddress } = await pickFreeSubnet(ip);
    await run(ip, ['link', 'add', hostInterface, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
    await run(ip, ['addr', 'add', `${hostAddress}/30`, 'dev', hostInterface]);
    await run(ip, ['-n', name, 'addr', 'add', `${nsAddress}/30`, 'dev', 'eth0']);
    await run(ip, ['link', 'set', hostInterface, 'up']);
    await run(ip, ['-n', name, 'link', 'set', 'eth0', 'up']);
    await run(ip, ['-n', name, 'link', 'set', 'lo', 'up']);
    // Until both ends report carrier, the first packets are dropped and TCP waits a second to retry.
    await waitFor(async () => (await linkIsUp(ip, ['link', 'show', hostInterface])) && linkIsUp(ip, ['-n', name, 'link', 'show', 'eth0']), {
      timeoutMs: 5_000,
      what: `the veth link of namespace ${name} to come up`,
    });
    return { name, hostInterface, hostAddress, nsAddress, exec: (command, args) => execIn(ip, name, children, command, args), destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** `count` distinct test hosts, made one after another so each sees the others' routes. */
export async function createNetnsHosts(count: number): Promise<NetnsHost[]> {
  const hosts: NetnsHost[] = [];
  try {
    for (let i = 0; i < count; i++) hosts.push(await createNetnsHost());
    return hosts;
  } catch (error) {
    await Promise.all(hosts.map((host) => host.destroy()));
    throw error;
  }
}

/**
 * GETs of `url` sent one after another from inside the namespace, their statuses in order.
 * With `whileStatus`, it stops at the first answer with another status.
 */
export async function httpStatusesFrom(
  host: Pick<NetnsHost, 'exec'>,
  url: string,
  { count = 1, headers = {}, whileStatus }: { count?: number; headers?: Record<string, string>; whileStatus?: number } = {},
): Promise<number[]> {
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`]);
  const whileArgs = whileStatus === undefined ? [] : ['--while-status', String(whileStatus)];
  const { stdout } = await host.exec(process.execPath, [NETNS_CLIENT_SCRIPT, url, String(count), ...headerArgs, ...whileArgs]);
  return JSON.parse(stdout) as number[];
}
