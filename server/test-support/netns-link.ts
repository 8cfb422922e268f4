import { randomInt } from 'node:crypto';
import type { NetnsHost } from './netns';

/**
 * A veth pair straight between two test hosts, so one reaches the other without the machine
 * forwarding anything. Its /30 lives only inside the two namespaces (172.31/16, never their
 * 10/8 links), and goes away with them.
 */
export async function linkNetnsHosts(a: NetnsHost, b: NetnsHost): Promise<{ aAddress: string; bAddress: string }> {
  const base = `172.31.${randomInt(0, 256)}.${randomInt(0, 64) * 4}`;
  const [p, q, r, s] = base.split('.').map(Number);
  const aAddress = `${p}.${q}.${r}.${s + 1}`;
  const bAddress = `${p}.${q}.${r}.${s + 2}`;
  await a.exec('ip', ['link', 'add', 'peer0', 'type', 'veth', 'peer', 'name', 'peer0', 'netns', b.name]);
  await a.exec('ip', ['addr', 'add', `${aAddress}/30`, 'dev', 'peer0']);
  await b.exec('ip', ['addr', 'add', `${bAddress}/30`, 'dev', 'peer0']);
  await a.exec('ip', ['link', 'set', 'peer0', 'up']);
  await b.exec('ip', ['link', 'set', 'peer0', 'up']);
  return { aAddress, bAddress };
}
