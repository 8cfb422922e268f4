import { spawn, type ChildProcess } from 'node:child_process';
import type { ProcessModule } from '@/lib/healing/module-schema';
import { childEnv, resolveProgram } from '../exec/run-program';
import { LogRing } from './log-ring';
import { liveGroupMembers, readProcStat, terminateGroup } from './process-group';
import { thisWorker, type ProcessRecords } from './process-records';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
  /** Milliseconds it ran. */
  uptimeMs: number;
}

export const STOP_GRACE_MS = 5000;

/**
 * A process the worker spawns and owns. The exit event arrives the moment the child dies,
 * which is how a crash is detected in well under a second instead of at the next probe.
 * It runs in a process group of its own, so a stop reaches everything it started (a shell
 * script's children included), and it is recorded in the data directory, so a worker that
 * comes back after a crash finds and stops it before respawning it.
 */
export class SupervisedProcess {
  readonly logs: LogRing;
  private child: ChildProcess | null = null;
  /** The group of the last spawn: it may outlive its leader (children of a crashed shell script). */
  private pgid: number | null = null;
  private startedAt = 0;
  private stopping = false;
  /** For good: a restart still under way when the engine closes must not spawn a process nobody owns. */
  private closed = false;
  lastExit: ProcessExit | null = null;

  constructor(
    private definition: ProcessModule,
    private readonly options: { searchPath: string; onExit: (exit: ProcessExit) => void; records?: ProcessRecords },
  ) {
    this.logs = new LogRing(definition.logLines);
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get uptimeMs(): number {
    return this.running ? Date.now() - this.startedAt : 0;
  }

  update(definition: ProcessModule): void {
    this.definition = definition;
  }

  async start(): Promise<void> {
    if (this.running || this.closed) return;
    const program = await resolveProgram(this.definition.command[0], this.options.searchPath);
    if (this.closed) return;
    // What the last one started may still hold its port: the respawn would die with EADDRINUSE.
    await this.stopLeftovers();
    this.stopping = false;
    this.startedAt = Date.now();
    const child = spawn(program, this.definition.command.slice(1), {
      cwd: this.definition.cwd,
      env: childEnv(this.options.searchPath, this.definition.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      // A group (and session) of its own: its pid is the group's id, and -pid signals all of it.
      detached: true,
    });
    this.child = child;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.logs.write('stdout', chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.logs.write('stderr', chunk));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    this.logs.note(`started pid ${child.pid}`);
    this.pgid = child.pid ?? null;
    this.record(child);
    child.once('exit', (code, signal) => {
      const exit: ProcessExit = { code, signal, at: Date.now(), uptimeMs: Date.now() - this.startedAt };
      this.lastExit = exit;
      this.logs.note(signal ? `killed by ${signal}` : `exited with code ${code}`);
      if (this.child === child) this.child = null;
      if (!this.stopping) this.options.onExit(exit);
    });
  }

  private record(child: ChildProcess): void {
    const stat = child.pid ? readProcStat(child.pid) : null;
    if (!this.options.records || !child.pid || !stat) return;
    try {
      this.options.records.write({
        module: this.definition.name,
        pid: child.pid,
        pgid: child.pid,
        startTime: stat.startTime,
        command: this.definition.command,
        startedAt: new Date(this.startedAt).toISOString(),
        worker: thisWorker(),
      });
    } catch (error) {
      this.logs.note(`could not record pid ${child.pid} in the data directory: ${(error as Error).message}`);
    }
  }

  private async stopLeftovers(): Promise<void> {
    if (this.pgid === null || this.running || liveGroupMembers(this.pgid).length === 0) return;
    const signal = await terminateGroup(this.pgid, STOP_GRACE_MS);
    this.logs.note(`stopped what pid ${this.pgid} left running in its group (${signal})`);
  }

  /** TERM to the whole group, then KILL after a grace period; resolves once all of it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running || this.pgid === null) return this.stopLeftovers();
    this.stopping = true;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // The group's TERM comes with a CONT: a hung (SIGSTOPped) process only acts on it once continued.
    await terminateGroup(this.pgid, STOP_GRACE_MS);
    await gone;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the process and refuses every later start. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
    this.options.records?.remove(this.definition.name);
  }
}
