import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SecuritySignal } from '@/lib/defense/signals';
import type { AuditWriter } from '../../audit';
import { childEnv } from '../../exec/run-program';
import type { Logger } from '../../log';
import type { DefenseService } from '../defense-service';
import { parseFromGuard } from './from-guard-schema';
import { GuardChannel, type GuardChannelStatus } from './guard-channel';
import type { GuardFeed } from './guard-feed';
import { GUARD_LIMITS, type CountedBatch, type ToGuard } from './guard-protocol';

/** Restart delays double from the first to the last; a process that ran this long starts the series again. */
const FIRST_RESTART_MS = 100;
const LAST_RESTART_MS = 2000;
const STABLE_MS = 10_000;
/** A stopping guard process that has not exited by then is killed. */
const STOP_GRACE_MS = 3000;

export interface GuardSupervisorOptions {
  listen: { host: string; port: number };
  defense: DefenseService;
  feed: GuardFeed;
  audit: AuditWriter;
  log: Logger;
}

/**
 * Compiled into dist/ (scripts/lib/bundle.mjs), the process is dist/guard-process.mjs next to the
 * chunk that starts it; from the sources (tests, `tsx`) it is this folder's guard-main.ts.
 */
function entryPoint(): { file: string; execArgv: string[] } {
  if (import.meta.url.endsWith('.mjs')) return { file: fileURLToPath(new URL('./guard-process.mjs', import.meta.url)), execArgv: [] };
  return { file: fileURLToPath(new URL('./guard-main.ts', import.meta.url)), execArgv: ['--import', 'tsx'] };
}

/** Requests the guard process passed, counted by the detectors as if the worker had answered them. */
function countBatch(defense: DefenseService, batch: CountedBatch): void {
  defense.guardStats.checks += batch.checks;
  defense.guardStats.denied += batch.denied;
  for (const [source, path, count] of batch.requests) {
    const signal: SecuritySignal = { kind: 'request', source, path: path ?? undefined, origin: 'guard', at: batch.at };
    for (let i = 0; i < count; i++) defense.signal(signal);
  }
}

/**
 * Starts the dedicated guard process, feeds it, counts what it reports, and restarts it (with a
 * growing delay) whenever it ends while the worker runs.
 */
export class GuardSupervisor {
  /** The port the guard process answers on, once it listens. */
  port: number | null = null;
  private child: ChildProcess | null = null;
  private channel: GuardChannel | null = null;
  private stopping = false;
  private delayMs = FIRST_RESTART_MS;
  private timer: NodeJS.Timeout | null = null;
  private firstStart: ((listening: boolean) => void) | null = null;
  private listen: { host: string; port: number };

  constructor(private readonly options: GuardSupervisorOptions) {
    this.listen = options.listen;
  }

  /** Resolves once the first process listens (true) or could not (false: it is retried meanwhile). */
  start(): Promise<boolean> {
    this.options.feed.attach((message) => this.send(message));
    return new Promise((resolve) => {
      this.firstStart = resolve;
      this.spawn();
    });
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** The running process's channel: how far behind it is, if at all. */
  get channelStatus(): GuardChannelStatus | null {
    return this.channel?.status ?? null;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.options.feed.detach();
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(kill);
  }

  private send(message: ToGuard): void {
    // Between a process's end and its successor nothing is sent: the successor gets the whole state.
    this.channel?.send(message);
  }

  private spawn(): void {
    const { file, execArgv } = entryPoint();
    const startedAt = Date.now();
    // None of the worker's secrets or database settings: the process gets its state over IPC.
    const env = childEnv('/usr/bin:/bin');
    const child = fork(file, [], { execArgv, env, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    const channel = new GuardChannel(child, () => this.options.feed.state(), this.options.log);
    this.channel = channel;
    let listening = false;
    let listenFailed = false;
    child.on('message', (raw) => {
      const parsed = parseFromGuard(raw);
      if (!parsed.ok) return this.options.log.warn({ err: parsed.error }, 'guard process sent an unreadable message');
      const message = parsed.message;
      if (message.kind === 'requests') return countBatch(this.options.defense, message);
      if (message.kind === 'listening') {
        listening = true;
        this.port = message.port;
        // A port chosen by the system (0) is kept: proxies point at it, and a restart must not move it.
        this.listen = { ...this.listen, port: message.port };
        this.options.log.info({ guardPid: child.pid, port: message.port }, 'guard process listening');
      } else {
        listenFailed = true;
        this.options.log.warn({ code: message.code, err: message.message }, 'guard process could not listen');
      }
      this.settleFirstStart(listening);
    });
    // An error here is a failed fork (a message that could not be sent goes to its callback); the exit that follows restarts it.
    child.on('error', (error) => this.options.log.warn({ err: error.message }, 'guard process error'));
    child.once('exit', (code, signal) => this.exited(child, { code, signal, listening, listenFailed, ranMs: Date.now() - startedAt }));
    channel.start({ kind: 'start', listen: this.listen, limits: GUARD_LIMITS, state: this.options.feed.state() });
  }

  private settleFirstStart(listening: boolean): void {
    this.firstStart?.(listening);
    this.firstStart = null;
  }

  private exited(
    child: ChildProcess,
    end: { code: number | null; signal: NodeJS.Signals | null; listening: boolean; listenFailed: boolean; ranMs: number },
  ): void {
    if (this.child === child) {
      this.child = null;
      this.channel = null;
    }
    this.port = null;
    if (this.stopping) return;
    this.settleFirstStart(false);
    if (end.ranMs >= STABLE_MS) this.delayMs = FIRST_RESTART_MS;
    const restartInMs = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, LAST_RESTART_MS);
    this.timer = setTimeout(() => this.spawn(), restartInMs);
    // A process that never listened is logged (its listen failure was, already) and retried; one that served and died is an event.
    if (!end.listening) {
      if (!end.listenFailed) this.options.log.warn({ code: end.code, signal: end.signal, restartInMs }, 'guard process ended before it listened');
      return;
    }
    this.options.log.warn({ code: end.code, signal: end.signal, restartInMs }, 'guard process ended; restarting it');
    void this.options.audit
      .append({
        type: 'defense.guard_exited',
        severity: 'warning',
        actor: 'system',
        action: 'restart guard process',
        module: 'defense',
        method: 'automatic',
        reason: end.signal ? `ended by ${end.signal}` : `exited with code ${end.code}`,
        details: { pid: child.pid ?? null, code: end.code, signal: end.signal, restartInMs },
      })
      .catch((error: unknown) => this.options.log.warn({ err: (error as Error).message }, 'guard process end not audited'));
  }
}
