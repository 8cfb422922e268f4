import { readdir, readFile } from 'node:fs/promises';
import { failed, type ProbeResult } from './probe-result';
import { isProcessAlive } from '../../exec/process-alive';

/** Like pgrep: the first process whose comm (15 characters at most) is `name`. */
async function findByName(name: string): Promise<number | null> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === name) return Number(entry);
  }
  return null;
}

/** A process Vigil does not own, found by its pid file or its name. */
export async function probeExternal({ pidFile, processName }: { pidFile?: string; processName?: string }): Promise<ProbeResult> {
  const started = performance.now();
  if (pidFile) {
    const text = await readFile(pidFile, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
    if (text === null) return failed('process_missing', `no pid file at ${pidFile}`);
    const pid = Number.parseInt(text.trim(), 10);
    if (!Number.isInteger(pid) || pid <= 0) return failed('process_missing', `pid file ${pidFile} holds no pid`);
    if (!isProcessAlive(pid)) return failed('process_missing', `pid ${pid} from ${pidFile} is not running`, null, { pid });
    return { ok: true, latencyMs: Math.round(performance.now() - started), message: `pid ${pid} running` };
  }
  const pid = await findByName(processName!);
  if (pid === null) return failed('process_missing', `no process named ${processName}`);
  return { ok: true, latencyMs: Math.round(performance.now() - started), message: `pid ${pid} running` };
}
