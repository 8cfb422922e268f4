import type { BlocklistChange } from '../blocklist';
import type { DefenseService } from '../defense-service';
import type { DecisionColumns, GuardSettings, GuardState, ToGuard } from './guard-protocol';

/**
 * The worker's side of the guard process's copy: the whole state for a (re)started process,
 * then every change as it happens. Decision changes made in one go (a start's load, a standby's
 * catch-up, an expiry sweep) travel as one message, sent once the current task is done.
 */
export class GuardFeed {
  private pending: BlocklistChange[] = [];
  private send: ((message: ToGuard) => void) | null = null;

  constructor(
    private readonly defense: DefenseService,
    private readonly settings: () => GuardSettings,
  ) {}

  state(): GuardState {
    const { defense } = this;
    return {
      ...this.settings(),
      mode: defense.mode,
      allowlist: defense.allowlist.entries().map((entry) => entry.source),
      decisions: this.decisionColumns(),
      ipLists: defense.ipLists.enforcedLists(),
    };
  }

  /** The blocklist as columns, written straight into them: no object per decision on the way. */
  private decisionColumns(): DecisionColumns {
    const { blocklist } = this.defense;
    const sources: string[] = [];
    const expiresAtMs = new Float64Array(blocklist.size);
    blocklist.forEachSource((source, expires) => {
      expiresAtMs[sources.length] = expires;
      sources.push(source);
    });
    return { sources: sources.join('\n'), expiresAtMs };
  }

  /** From now on every change goes to `send` (the supervisor drops them while no process runs). */
  attach(send: (message: ToGuard) => void): void {
    this.send = send;
    const { defense } = this;
    defense.blocklist.watcher = (change) => {
      if (this.pending.push(change) === 1) queueMicrotask(() => this.flushDecisions());
    };
    defense.modes.watcher = (mode) => send({ kind: 'mode', mode });
    defense.allowlist.watcher = (sources) => send({ kind: 'allowlist', sources });
    defense.ipLists.watcher = (lists) => send({ kind: 'ipLists', lists });
  }

  /** After a configuration reload: trusted proxies and whether checks count. */
  reconfigured(): void {
    this.send?.({ kind: 'settings', settings: this.settings() });
  }

  detach(): void {
    const { defense } = this;
    defense.blocklist.watcher = null;
    defense.modes.watcher = null;
    defense.allowlist.watcher = null;
    defense.ipLists.watcher = null;
    this.send = null;
  }

  private flushDecisions(): void {
    const changes = this.pending;
    this.pending = [];
    this.send?.({ kind: 'decisions', changes });
  }
}
