import { readdirSync } from 'node:fs';
import { readProcStat } from '../exec/proc-stat';

export { readProcStat, type ProcStat } from '../exec/proc-stat';

export const hasProcFs = (): boolean => readProcStat(process.pid) !== null;

/** Processes of the group that have not exited (zombies are gone for this purpose: they hold no port and run no code). */
export function liveGroupMembers(pgid: number): number[] {
  if (!hasProcFs()) return signalGroup(pgid, 0) ? [pgid] : [];
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') members.push(stat.pid);
  }
  return members;
}

/** Sends `signal` to every process of the group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

async function groupGone(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (liveGroupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * TERM to the whole group (with CONT, since a stopped process acts on TERM only once continued),
 * KILL to whatever is left after the grace period; resolves with the signal that ended it.
 */
export async function terminateGroup(pgid: number, graceMs: number): Promise<'SIGTERM' | 'SIGKILL' | 'none'> {
  if (liveGroupMembers(pgid).length === 0) return 'none';
  signalGroup(pgid, 'SIGTERM');
  signalGroup(pgid, 'SIGCONT');
  if (await groupGone(pgid, graceMs)) return 'SIGTERM';
  signalGroup(pgid, 'SIGKILL');
  await groupGone(pgid, 5000);
  return 'SIGKILL';
}
