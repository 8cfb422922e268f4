import { spawn, type ChildProcess } from 'node:child_process';
import type { ProcessModule } from '@/lib/healing/module-schema';
import { childEnv, resolveProgram } from '../exec/run-program';
import { LogRing } from './log-ring';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
  /** Milliseconds it ran. */
  uptimeMs: number;
}

const STOP_GRACE_MS = 5000;

/**
 * A process the worker spawns and owns. The exit event arrives the moment the child dies,
 * which is how a crash is detected in well under a second instead of at the next probe.
 */
export class SupervisedProcess {
  readonly logs: LogRing;
  private child: ChildProcess | null = null;
  private startedAt = 0;
  private stopping = false;
  /** For good: a restart still under way when the engine closes must not spawn a process nobody owns. */
  private closed = false;
  lastExit: ProcessExit | null = null;

  constructor(
    private definition: ProcessModule,
    private readonly options: { searchPath: string; onExit: (exit: ProcessExit) => void },
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
    this.stopping = false;
    this.startedAt = Date.now();
    const child = spawn(program, this.definition.command.slice(1), {
      cwd: this.definition.cwd,
      env: childEnv(this.options.searchPath, this.definition.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: false,
    });
    this.child = child;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.logs.write('stdout', chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.logs.write('stderr', chunk));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    this.logs.note(`started pid ${child.pid}`);
    child.once('exit', (code, signal) => {
      const exit: ProcessExit = { code, signal, at: Date.now(), uptimeMs: Date.now() - this.startedAt };
      this.lastExit = exit;
      this.logs.note(signal ? `killed by ${signal}` : `exited with code ${code}`);
      if (this.child === child) this.child = null;
      if (!this.stopping) this.options.onExit(exit);
    });
  }

  /** TERM, then KILL after a grace period; resolves once the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.stopping = true;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    // A hung (SIGSTOPped) process only acts on the TERM once continued; without this every
    // restart of a stopped process waited the full grace period for the KILL.
    child.kill('SIGCONT');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await gone;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the process and refuses every later start. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
  }
}
