import { unfoldSignals, type ClusterMessage } from '@/lib/ha/cluster-messages';
import type { DefenseService } from '../defense';
import type { Logger } from '../log';

/** Announcements a standby holds while it reads the state; more than this and it simply reads again. */
const MAX_HELD_MESSAGES = 10_000;

/** What the replay needs of the defense: its role, its reads, and the memory it enforces from. */
export type ReplayedDefense = Pick<DefenseService, 'following' | 'enforceAnnounced' | 'reloadFollowed' | 'reloadAllowlist' | 'modes' | 'signal'>;

export interface DefenseReplayOptions {
  defense: ReplayedDefense;
  log: Logger;
}

/**
 * What the leader announces on the cluster bus, applied to this replica's defense. Until the
 * defense has read its state (at start, or during a resync), announcements wait, so an older
 * read never undoes a newer decision; nothing is written or audited here.
 */
export class DefenseReplay {
  private loaded = false;
  private resyncing: Promise<void> | null = null;
  private resyncAgain = false;
  private held: ClusterMessage[] = [];

  constructor(private readonly options: DefenseReplayOptions) {}

  /** The defense has read its state: what arrived meanwhile applies now. */
  markLoaded(): void {
    this.loaded = true;
    this.replayHeld();
  }

  apply(message: ClusterMessage): void {
    // Past the bound, a resync covers what was not held.
    if (!this.loaded || this.resyncing) {
      if (this.held.length < MAX_HELD_MESSAGES) this.held.push(message);
      else this.resyncAgain = true;
      return;
    }
    const { defense, log } = this.options;
    // The leader decides alone: it takes only the signals standbys relay.
    if (!defense.following && message.kind !== 'signals') return;
    switch (message.kind) {
      case 'decision':
        defense.enforceAnnounced(message);
        return;
      case 'mode':
        defense.modes.follow(message.mode, message.lockdown);
        return;
      case 'allowlist':
        void defense.reloadAllowlist().catch((error: unknown) => log.warn({ err: (error as Error).message }, 'allowlist not reloaded'));
        return;
      case 'resync':
        void this.resync().catch((error: unknown) => log.warn({ err: (error as Error).message }, 'defense state not reloaded'));
        return;
      case 'signals':
        if (!defense.following) unfoldSignals(message.signals, (signal) => defense.signal(signal));
        return;
      default:
        return;
    }
  }

  /**
   * Everything a standby enforces, read again from the database (after a missed notification).
   * A resync asked for during one runs once more after it.
   */
  resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true;
      return this.resyncing;
    }
    this.resyncing = (async () => {
      try {
        do {
          this.resyncAgain = false;
          await this.options.defense.reloadFollowed();
        } while (this.resyncAgain);
      } finally {
        this.resyncing = null;
        this.replayHeld();
      }
    })();
    return this.resyncing;
  }

  private replayHeld(): void {
    const held = this.held;
    this.held = [];
    for (const message of held) this.apply(message);
  }
}
