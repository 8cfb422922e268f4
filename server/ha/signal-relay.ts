import { NOTIFY_PAYLOAD_LIMIT, RELAYED_LIMITS, type RelayedSignal } from '@/lib/ha/cluster-messages';
import type { SecuritySignal } from '@/lib/defense/signals';

/** Distinct signals kept per flush; past it a flood of unique sources is counted as dropped. */
const MAX_KEYS_PER_FLUSH = 5000;

export interface SignalRelayOptions {
  /** Sends one batch; the relay keeps each batch under NOTIFY's payload limit. */
  send: (signals: RelayedSignal[]) => void;
  flushEveryMs?: number;
}

/**
 * A standby's signals, on their way to the leader's detectors. A guard at tens of
 * thousands of checks a second cannot send a notification per check, so identical
 * signals within a flush are folded into one with a count, and the leader replays them.
 */
export class SignalRelay {
  private pending = new Map<string, RelayedSignal>();
  private timer: NodeJS.Timeout;
  readonly stats = { relayed: 0, dropped: 0, batches: 0 };

  constructor(private readonly options: SignalRelayOptions) {
    this.timer = setInterval(() => this.flush(), options.flushEveryMs ?? 200);
    this.timer.unref();
  }

  add(signal: SecuritySignal): void {
    const key = `${signal.kind}\u0000${signal.source}\u0000${signal.user ?? ''}\u0000${signal.token ?? ''}\u0000${signal.path ?? ''}\u0000${signal.status ?? ''}\u0000${signal.origin}`;
    const folded = this.pending.get(key);
    if (folded) {
      folded.count++;
      folded.at = signal.at;
      return;
    }
    if (this.pending.size >= MAX_KEYS_PER_FLUSH) {
      this.stats.dropped++;
      return;
    }
    // Cut to the contract's limits here: one overlong field must not get a whole batch refused.
    this.pending.set(key, {
      kind: signal.kind,
      source: signal.source.slice(0, RELAYED_LIMITS.source),
      user: signal.user?.slice(0, RELAYED_LIMITS.user),
      token: signal.token?.slice(0, RELAYED_LIMITS.token),
      path: signal.path?.slice(0, RELAYED_LIMITS.path),
      status: Number.isInteger(signal.status) ? signal.status : undefined,
      origin: signal.origin.slice(0, RELAYED_LIMITS.origin),
      at: signal.at,
      count: 1,
    });
  }

  flush(): void {
    if (this.pending.size === 0) return;
    const signals = [...this.pending.values()];
    this.pending = new Map();
    // Room for the envelope ({"kind":"signals","from":…,"signals":[…]}).
    const budget = NOTIFY_PAYLOAD_LIMIT - 400;
    let batch: RelayedSignal[] = [];
    let size = 0;
    for (const signal of signals) {
      const length = Buffer.byteLength(JSON.stringify(signal)) + 1;
      if (batch.length > 0 && (size + length > budget || batch.length >= 500)) {
        this.send(batch);
        batch = [];
        size = 0;
      }
      batch.push(signal);
      size += length;
    }
    if (batch.length > 0) this.send(batch);
  }

  private send(batch: RelayedSignal[]): void {
    this.stats.batches++;
    for (const signal of batch) this.stats.relayed += signal.count;
    this.options.send(batch);
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
