import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { formatIpv4, parseSource, rangesOverlap } from '../../lib/defense/ip-prefix';
import {
  execIn,
  hostInterfaceFor,
  linkIsUp,
  NAME_PREFIX,
  NETNS_STALE_AFTER_MS,
  removeNamespace,
  removeStaleNamespaces,
  requireNetnsSupport,
  routedRanges,
  run,
  type NetnsHost,
} from './netns';
import { waitFor } from './wait';

/** One namespace on the shared segment: every other one reaches it at `address`, and sees it come from there. */
export interface BridgedHost {
  name: string;
  address: string;
  exec: NetnsHost['exec'];
  /** `ip netns exec <name>`: put before a program to run it inside. */
  wrapper: string[];
}

/**
 * Test hosts on one Ethernet segment: a bridge on this machine (its address is where they reach
 * servers here) with each namespace's veth on it, all in one /24. Unlike the /30 links of
 * createNetnsHost, the namespaces reach each other directly, so one client can talk to several
 * servers from the same address, as an attacker on the internet would.
 */
export interface BridgedNetwork {
  bridge: string;
  /** This machine's address on the segment. */
  address: string;
  hosts: BridgedHost[];
  /** Ends what runs inside, removes the namespaces, their links and the bridge; safe to repeat. */
  destroy(): Promise<void>;
}

/** Bridge names carry the random part only (15 characters at most); the alias records when it was made. */
const bridgeNameFor = (id: string): string => `vigilbr${id}`;
const BRIDGE_PATTERN = /^vigilbr[0-9a-f]{6}$/;
const PRIVATE_RANGE = parseSource('10.0.0.0/8')!;

/** Bridges of ours whose alias says a killed run left them behind. */
async function removeStaleBridges(ip: string, now: number): Promise<void> {
  for (const name of readdirSync('/sys/class/net').filter((n) => BRIDGE_PATTERN.test(n))) {
    const alias = readFileSync(`/sys/class/net/${name}/ifalias`, 'utf8').trim();
    const made = alias.startsWith(NAME_PREFIX) ? parseInt(alias.slice(NAME_PREFIX.length), 36) * 1000 : NaN;
    if (now - made > NETNS_STALE_AFTER_MS) await run(ip, ['link', 'del', name]).catch(() => undefined);
  }
}

async function pickFreeSegment(ip: string): Promise<number> {
  const taken = await routedRanges(ip);
  for (let attempt = 0; attempt < 50; attempt++) {
    const network = (PRIVATE_RANGE.network as number) + randomInt(0, 1 << 16) * 256;
    const candidate = parseSource(`${formatIpv4(network)}/24`)!;
    if (!taken.some((range) => rangesOverlap(range, candidate))) return network;
  }
  throw new Error('no free /24 in 10.0.0.0/8 for a test bridge: the routing table covers all of it');
}

/** `count` namespaces on a new bridge; names unique per run, so parallel runs never collide. */
export async function createBridgedNetwork(count: number): Promise<BridgedNetwork> {
  const ip = requireNetnsSupport();
  const now = Date.now();
  await removeStaleNamespaces(ip, now);
  await removeStaleBridges(ip, now);
  const stamp = Math.floor(now / 1000).toString(36);
  const bridge = bridgeNameFor(randomBytes(3).toString('hex'));
  const made: Array<{ name: string; hostInterface: string; children: Set<ChildProcess> }> = [];
  let destroyed: Promise<void> | null = null;
  const destroy = (): Promise<void> => {
    destroyed ??= (async () => {
      for (const host of made) for (const child of host.children) child.kill('SIGKILL');
      await Promise.all(made.map((host) => removeNamespace(ip, host.name, host.hostInterface)));
      if (existsSync(`/sys/class/net/${bridge}`)) await run(ip, ['link', 'del', bridge]).catch(() => undefined);
    })();
    return destroyed;
  };

  try {
    const network = await pickFreeSegment(ip);
    const address = formatIpv4(network + 1);
    await run(ip, ['link', 'add', bridge, 'type', 'bridge']);
    await run(ip, ['link', 'set', bridge, 'alias', `${NAME_PREFIX}${stamp}`]);
    await run(ip, ['addr', 'add', `${address}/24`, 'dev', bridge]);
    await run(ip, ['link', 'set', bridge, 'up']);
    const hosts: BridgedHost[] = [];
    for (let i = 0; i < count; i++) {
      const id = randomBytes(3).toString('hex');
      const name = `${NAME_PREFIX}${stamp}-${id}`;
      const hostInterface = hostInterfaceFor(id);
      const children = new Set<ChildProcess>();
      await run(ip, ['netns', 'add', name]);
      made.push({ name, hostInterface, children });
      const hostAddress = formatIpv4(network + 10 + i);
      await run(ip, ['link', 'add', hostInterface, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
      await run(ip, ['link', 'set', hostInterface, 'master', bridge, 'up']);
      await run(ip, ['-n', name, 'addr', 'add', `${hostAddress}/24`, 'dev', 'eth0']);
      await run(ip, ['-n', name, 'link', 'set', 'eth0', 'up']);
      await run(ip, ['-n', name, 'link', 'set', 'lo', 'up']);
      // Until both ends report carrier, the first packets are dropped and TCP waits a second to retry.
      await waitFor(async () => (await linkIsUp(ip, ['link', 'show', hostInterface])) && linkIsUp(ip, ['-n', name, 'link', 'show', 'eth0']), {
        timeoutMs: 5_000,
        what: `the veth link of namespace ${name} to come up`,
      });
      hosts.push({ name, address: hostAddress, exec: (command, args) => execIn(ip, name, children, command, args), wrapper: [ip, 'netns', 'exec', name] });
    }
    return { bridge, address, hosts, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}
