import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../../log';
import type { GuardState, ToGuard } from './guard-protocol';

/**
 * Messages handed to the channel and not yet written to it. A guard process that stops reading
 * (stopped, or stalled) must not make them pile up in the worker: past this many, changes are no
 * longer sent and the process is behind; once the channel has drained it gets the whole state
 * instead of what it missed. The kernel's socket buffer holds a few hundred small changes before
 * any message waits here, so a short stall is absorbed without falling behind.
 */
export const MAX_UNWRITTEN_MESSAGES = 32;

/** What the worker knows of its channel to the guard process (the worker's `/healthz`). */
export interface GuardChannelStatus {
  unwrittenMessages: number;
  /** Since when changes are withheld (ISO time), or null while the process keeps up. */
  behindSince: string | null;
  /** Changes withheld while it was behind, since it started. */
  withheldMessages: number;
  /** Times the whole state replaced a backlog, since it started. */
  resyncs: number;
}

/** The worker's end of one guard process's IPC channel, bounded as above. */
export class GuardChannel {
  private unwritten = 0;
  private behindSince: number | null = null;
  private withheld = 0;
  private resyncs = 0;

  constructor(
    private readonly child: ChildProcess,
    private readonly state: () => GuardState,
    private readonly log: Logger,
  ) {}

  /** The first message is written whatever the backlog: without it the process never listens. */
  start(message: Extract<ToGuard, { kind: 'start' }>): void {
    this.write(message);
  }

  send(message: ToGuard): void {
    if (!this.child.connected) return;
    if (this.behindSince === null && this.unwritten >= MAX_UNWRITTEN_MESSAGES) {
      this.behindSince = Date.now();
      this.log.warn({ guardPid: this.child.pid, unwritten: this.unwritten }, 'guard process stopped reading; its changes are withheld until it catches up');
    }
    if (this.behindSince !== null) {
      this.withheld++;
      return;
    }
    this.write(message);
  }

  get status(): GuardChannelStatus {
    return {
      unwrittenMessages: this.unwritten,
      behindSince: this.behindSince === null ? null : new Date(this.behindSince).toISOString(),
      withheldMessages: this.withheld,
      resyncs: this.resyncs,
    };
  }

  private write(message: ToGuard): void {
    this.unwritten++;
    // Called once the message is written to the channel, or with an error once it is closed.
    this.child.send(message, undefined, undefined, () => this.written());
  }

  private written(): void {
    this.unwritten--;
    if (this.unwritten > 0 || this.behindSince === null || !this.child.connected) return;
    const behindMs = Date.now() - this.behindSince;
    this.behindSince = null;
    this.resyncs++;
    this.log.info({ guardPid: this.child.pid, behindMs, withheld: this.withheld }, 'guard process caught up; sent it the whole state');
    // Read now, not when it fell behind: every change withheld meanwhile is in it.
    this.write({ kind: 'state', state: this.state() });
  }
}
