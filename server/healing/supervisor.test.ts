import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processModuleSchema } from '@/lib/healing/module-schema';
import type { AuditEventInput } from '@/lib/audit/types';
import { makeTempDir, silentLogger, waitFor, type TempDir } from '../test-support';
import { stopOrphans } from './orphans';
import { readProcStat } from './process-group';
import { ProcessRecords, type ProcessRecord } from './process-records';
import { SupervisedProcess, type ProcessExit } from './supervisor';

const SEARCH_PATH = '/usr/local/bin:/usr/bin:/bin';
const alive = (pid: number) => {
  const stat = readProcStat(pid);
  return stat !== null && stat.state !== 'Z';
};

let tmp: TempDir;
let supervisors: SupervisedProcess[];
let strays: number[];
beforeEach(() => {
  tmp = makeTempDir('vigil-supervisor-');
  supervisors = [];
  strays = [];
});
afterEach(async () => {
  await Promise.all(supervisors.map((s) => s.close()));
  for (const pid of strays) if (alive(pid)) process.kill(pid, 'SIGKILL');
  tmp.remove();
});

/** A shell script that starts a grandchild (which ignores nothing) and waits for it, like many service wrappers. */
function wrapperScript(): { script: string; grandchildPidFile: string } {
  const grandchildPidFile = tmp.join('grandchild.pid');
  const script = tmp.join('wrapper.sh');
  writeFileSync(script, `#!/bin/sh\n"${process.execPath}" -e "setInterval(() => {}, 1000)" &\necho $! > "${grandchildPidFile}"\nwait\n`, { mode: 0o755 });
  return { script, grandchildPidFile };
}

function supervise(command: string[], onExit: (exit: ProcessExit) => void = () => undefined, records?: ProcessRecords): SupervisedProcess {
  const supervisor = new SupervisedProcess(processModuleSchema.parse({ name: 'svc', kind: 'process', command }), { searchPath: SEARCH_PATH, onExit, records });
  supervisors.push(supervisor);
  return supervisor;
}

describe('a supervised process', () => {
  it('runs in a group of its own: a stop reaches what it started (a shell script and its grandchild)', async () => {
    const { script, grandchildPidFile } = wrapperScript();
    const supervisor = supervise(['/bin/sh', script]);
    await supervisor.start();
    const grandchild = Number(await waitFor(() => existsSync(grandchildPidFile) && readFileSync(grandchildPidFile, 'utf8').trim()));
    strays.push(grandchild);
    expect(readProcStat(grandchild)?.pgrp).toBe(supervisor.pid);
    const shell = supervisor.pid!;
    await supervisor.stop();
    expect(alive(shell)).toBe(false);
    expect(alive(grandchild)).toBe(false);
  });

  it('stops what a dead process left in its group before it is spawned again', async () => {
    const { script, grandchildPidFile } = wrapperScript();
    const exits: ProcessExit[] = [];
    const supervisor = supervise(['/bin/sh', script], (exit) => exits.push(exit));
    await supervisor.start();
    const grandchild = Number(await waitFor(() => existsSync(grandchildPidFile) && readFileSync(grandchildPidFile, 'utf8').trim()));
    strays.push(grandchild);
    process.kill(supervisor.pid!, 'SIGKILL');
    await waitFor(() => exits.length === 1);
    // The shell is gone but its child is not: it would still hold the service's port.
    expect(alive(grandchild)).toBe(true);
    await supervisor.start();
    strays.push(supervisor.pid!);
    expect(alive(grandchild)).toBe(false);
    expect(supervisor.logs.tail().map((line) => line.text)).toContainEqual(
      expect.stringMatching(/^stopped what pid \d+ left running in its group \(SIGTERM\)$/),
    );
  });

  it('is recorded in the data directory while it runs, and forgotten once closed', async () => {
    const records = new ProcessRecords(tmp.join('data'));
    const supervisor = supervise([process.execPath, '-e', 'setInterval(() => {}, 1000)'], undefined, records);
    await supervisor.start();
    const [record] = records.list();
    expect(record).toMatchObject({
      module: 'svc',
      pid: supervisor.pid,
      pgid: supervisor.pid,
      startTime: readProcStat(supervisor.pid!)!.startTime,
      worker: { pid: process.pid },
    });
    await supervisor.close();
    expect(records.list()).toEqual([]);
  });
});

describe('processes a dead worker left running', () => {
  const audit: AuditEventInput[] = [];
  const spawnDetached = () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
    child.unref();
    strays.push(child.pid!);
    return child.pid!;
  };
  const recordOf = (pid: number, over: Partial<ProcessRecord> = {}): ProcessRecord => ({
    module: `m${pid}`,
    pid,
    pgid: pid,
    startTime: readProcStat(pid)!.startTime,
    command: ['node'],
    startedAt: new Date().toISOString(),
    // A worker that is gone: no pid is above 2^22 (pid_max at most).
    worker: { pid: 2 ** 22 + 1, startTime: '1' },
    ...over,
  });

  it('stops an orphan whose pid and start time match, and never touches a recycled pid', async () => {
    const records = new ProcessRecords(tmp.join('data'));
    const orphan = spawnDetached();
    const recycled = spawnDetached();
    const stillSupervised = spawnDetached();
    records.write(recordOf(orphan));
    records.write(recordOf(recycled, { startTime: String(Number(readProcStat(recycled)!.startTime) - 1) }));
    records.write(recordOf(stillSupervised, { worker: { pid: process.ppid, startTime: readProcStat(process.ppid)!.startTime } }));
    const stopped = await stopOrphans({ records, graceMs: 2000, log: silentLogger(), audit: { append: async (event) => void audit.push(event) } });
    expect(stopped.map((s) => [s.record.pid, s.signal])).toEqual([[orphan, 'SIGTERM']]);
    expect(alive(orphan)).toBe(false);
    expect(alive(recycled)).toBe(true);
    expect(alive(stillSupervised)).toBe(true);
    expect(audit).toContainEqual(expect.objectContaining({ type: 'module.orphan_stopped', module: `m${orphan}`, method: 'SIGTERM' }));
    // Only the other worker's record stays: it still supervises that process.
    expect(records.list().map((r) => r.pid)).toEqual([stillSupervised]);
  });

  it('kills an orphan that ignores SIGTERM once the grace period is over', async () => {
    const records = new ProcessRecords(tmp.join('data'));
    const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')"], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.unref();
    strays.push(child.pid!);
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    records.write(recordOf(child.pid!));
    const stopped = await stopOrphans({ records, graceMs: 300, log: silentLogger(), audit: { append: async () => undefined } });
    expect(stopped.map((s) => s.signal)).toEqual(['SIGKILL']);
    expect(alive(child.pid!)).toBe(false);
  });
});
