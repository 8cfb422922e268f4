import { readFileSync } from 'node:fs';

/** The fields of `/proc/<pid>/stat` the supervisor and the store lock need; null when the process does not exist. */
export interface ProcStat {
  pid: number;
  /** R, S, D, T, Z …: a zombie (Z) has exited and only waits for its parent to reap it. */
  state: string;
  pgrp: number;
  /** Field 22, clock ticks after boot: with the pid, it names one process for good (pids are recycled). */
  startTime: string;
}

export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 of the man page: field n is fields[n - 3].
  return { pid, state: fields[0], pgrp: Number(fields[2]), startTime: fields[19] };
}
