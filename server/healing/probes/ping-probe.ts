import { readFile } from 'node:fs/promises';
import type { PingModule } from '@/lib/healing/monitor-kinds-schema';
import { ProgramNotFoundError, runProgram } from '../../exec/run-program';
import { failed, type ProbeResult } from './probe-result';

/** Whether the kernel lets this process open an unprivileged ICMP socket (net.ipv4.ping_group_range). */
export async function unprivilegedPingAllowed(): Promise<boolean> {
  const range = await readFile('/proc/sys/net/ipv4/ping_group_range', 'utf8').catch(() => '1 0');
  const [low, high] = range.trim().split(/\s+/).map(Number);
  const groups = [process.getgid?.() ?? -1, ...(process.getgroups?.() ?? [])];
  return groups.some((gid) => gid >= low && gid <= high);
}

export interface PingSummary {
  sent: number;
  received: number;
  averageMs: number | null;
}

/** iputils' summary: "3 packets transmitted, 3 received, …" and "rtt min/avg/max/mdev = 0.03/0.05/0.07/0.01 ms". */
export function parsePingSummary(output: string): PingSummary | null {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  if (!counts) return null;
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(output);
  return { sent: Number(counts[1]), received: Number(counts[2]), averageMs: rtt ? Number(rtt[1]) : null };
}

/**
 * Echo requests through iputils `ping`, which opens an unprivileged ICMP socket where the kernel
 * allows it and needs CAP_NET_RAW (root) otherwise; Node itself cannot send ICMP.
 */
export async function probePing(module: PingModule, searchPath: string): Promise<ProbeResult> {
  const waitSeconds = Math.max(1, Math.ceil(module.timeoutSeconds / module.count));
  let result;
  try {
    result = await runProgram(
      ['ping', '-n', '-q', '-c', String(module.count), '-i', '0.2', '-W', String(waitSeconds), module.host],
      module.timeoutSeconds * 1000,
      searchPath,
    );
  } catch (error) {
    if (error instanceof ProgramNotFoundError) return failed('probe_failed', 'ping is not installed (Debian: apt-get install iputils-ping)');
    throw error;
  }
  const summary = parsePingSummary(result.output);
  if (!summary) {
    if (/permission denied|operation not permitted/i.test(result.output) && process.getuid?.() !== 0 && !(await unprivilegedPingAllowed()))
      return failed('probe_failed', `this user may not send ICMP: add group ${process.getgid?.()} to net.ipv4.ping_group_range, or give ping CAP_NET_RAW`);
    return failed('probe_failed', `ping: ${result.output.trim().split('\n').at(-1) ?? `exit ${result.code}`}`, null, { code: result.code });
  }
  const lossPercent = Math.round(((summary.sent - summary.received) / summary.sent) * 1000) / 10;
  const facts = { packetLossPercent: lossPercent, responseTimeMs: summary.averageMs ?? undefined, connected: summary.received > 0 };
  const message = `${summary.received}/${summary.sent} replies, ${lossPercent} % loss${summary.averageMs !== null ? `, avg ${summary.averageMs} ms` : ''}`;
  if (lossPercent > module.maxLossPercent)
    return { ...failed(summary.received === 0 ? 'timeout' : 'probe_failed', message, summary.averageMs, { lossPercent }), facts };
  return { ok: true, latencyMs: summary.averageMs, message, facts };
}
