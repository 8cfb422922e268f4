import { spawn, type ChildProcess } from 'node:child_process';
import type { ProcessModule } from '@/lib/healing/module-schema';
import { childEnv, resolveProgram } from '../exec/run-program';
import { CgroupUnavailableError, detectCgroupLayout, launchInGroup, ModuleControlGroup, type CgroupLayout } from './control-group';
import { LogRing } from './log-ring';
import { liveGroupMembers, readProcStat, terminateGroup } from './process-group';
import { thisWorker, type ProcessRecords } from './process-records';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
  /** Milliseconds it ran. */
  uptimeMs: number;
  /** Ended by the kernel because its group reached the memory limit the module sets. */
  memoryLimitKill?: { limitBytes: number };
}

let hostLayout: CgroupLayout | null = null;
const cgroupLayout = (): CgroupLayout => (hostLayout ??= detectCgroupLayout());

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
  private group: ModuleControlGroup | null = null;
  /** The limits the group was set up with: a changed definition sets it up again. */
  private groupLimits = '';

  constructor(
    private definition: ProcessModule,
    private readonly options: {
      searchPath: string;
      onExit: (exit: ProcessExit) => void;
      records?: ProcessRecords;
      /** Tells this worker's control groups apart from another worker's on the same host (its data directory). */
      cgroupScope?: string;
      cgroupLayout?: CgroupLayout;
    },
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
    const group = this.controlGroup();
    const oomKillsBefore = group?.oomKills() ?? 0;
    const launch = group ? launchInGroup(group.procsFiles, program, this.definition.command.slice(1)) : { program, args: this.definition.command.slice(1) };
    this.startedAt = Date.now();
    const child = spawn(launch.program, launch.args, {
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
      const limit = this.definition.limits?.memory;
      if (group && limit !== undefined && signal === 'SIGKILL' && group.oomKills() > oomKillsBefore) exit.memoryLimitKill = { limitBytes: limit };
      this.lastExit = exit;
      this.logs.note(exit.memoryLimitKill ? `killed by ${signal}: it reached its memory limit` : signal ? `killed by ${signal}` : `exited with code ${code}`);
      if (this.child === child) this.child = null;
      if (!this.stopping) this.options.onExit(exit);
    });
  }

  /**
   * The module's control group, set up on the first start and again when its limits change.
   * Where the host offers none, the process still runs (keeping the service up comes first)
   * and its log says its limits are not enforced.
   */
  private controlGroup(): ModuleControlGroup | null {
    const limits = this.definition.limits;
    const wanted = limits ? JSON.stringify(limits) : '';
    if (wanted === this.groupLimits) return this.group;
    this.group?.remove();
    this.group = null;
    this.groupLimits = wanted;
    if (!limits) return null;
    try {
      this.group = ModuleControlGroup.open(
        this.options.cgroupLayout ?? cgroupLayout(),
        this.options.cgroupScope ?? this.options.records?.dir ?? process.cwd(),
        this.definition.name,
        limits,
      );
    } catch (error) {
      if (!(error instanceof CgroupUnavailableError)) throw error;
      this.logs.note(`limits not enforced: ${error.message}`);
    }
    return this.group;
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
    this.group?.remove();
    this.options.records?.remove(this.definition.name);
  }
}
