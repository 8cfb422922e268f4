import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import { deleteAllowEntry, listAllowEntries, upsertAllowEntry } from '../queries/defense';
import type { Allowlist } from './allowlist';

export interface OperatorAllowlistOptions {
  database: Database;
  audit: AuditWriter;
  /** The in-memory list the guard consults; the operators' entries are one part of it. */
  allowlist: Allowlist;
  /** An operator changed the allowlist (other replicas re-read it). */
  onChange: () => void;
}

/**
 * The allowlist entries operators add and remove in the console: stored first, then in the
 * guard's memory, then announced and audited. The config file's entries are not theirs.
 */
export class OperatorAllowlist {
  constructor(private readonly options: OperatorAllowlistOptions) {}

  /** Operators' allowlist entries from the database: at start, and after a restore of Vigil's state. */
  async reload(): Promise<void> {
    const rows = await listAllowEntries(this.options.database);
    this.options.allowlist.replaceUiEntries(
      rows.map((row) => ({ source: row.source, origin: 'ui' as const, reason: row.reason, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() })),
    );
  }

  async allow(input: { source: string; reason: string; actor: string }): Promise<void> {
    await upsertAllowEntry(this.options.database.prisma, { source: input.source, reason: input.reason, createdBy: input.actor });
    this.options.allowlist.setUiEntry({
      source: input.source,
      origin: 'ui',
      reason: input.reason,
      createdBy: input.actor,
      createdAt: new Date().toISOString(),
    });
    this.options.onChange();
    await this.options.audit.append({
      type: 'defense.allowlisted',
      severity: 'notice',
      actor: input.actor,
      action: `allowlist ${input.source}`,
      module: 'defense',
      resource: input.source,
      reason: input.reason,
      method: 'operator',
    });
  }

  async disallow(input: { source: string; reason: string; actor: string }): Promise<boolean> {
    const removed = await deleteAllowEntry(this.options.database.prisma, input.source);
    this.options.allowlist.removeUiEntry(input.source);
    this.options.onChange();
    if (removed)
      await this.options.audit.append({
        type: 'defense.allowlist_removed',
        severity: 'notice',
        actor: input.actor,
        action: `remove ${input.source} from the allowlist`,
        module: 'defense',
        resource: input.source,
        reason: input.reason,
        method: 'operator',
      });
    return removed;
  }
}
