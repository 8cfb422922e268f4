import { codedError } from '@/lib/errors';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { AuditEventInput } from '@/lib/audit/types';
import {
  measureEffectiveness,
  proposeSuggestions,
  suggestionSchema,
  type GovernorEvidence,
  type GovernorRule,
  type Suggestion,
} from '@/lib/forecast/governor-rules';
import type { Logger } from '../log';

export type GovernorErrorCode = 'not_found' | 'conflict';

export const GOVERNOR_ERROR_STATUS: Record<GovernorErrorCode, number> = { not_found: 404, conflict: 409 };

export class GovernorError extends codedError('GovernorError', GOVERNOR_ERROR_STATUS) {}

const fileSchema = z.object({ version: z.literal(1), suggestions: z.array(suggestionSchema) });

/**
 * Suggestions live in one JSON file under the data directory (`forecast/governor.json`): they
 * are few (one per rule and target), exported as JSON anyway, and travel with golden snapshots
 * of the data directory without a schema migration.
 */
export class Governor {
  private suggestions = new Map<string, Suggestion>();
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: { file: string; log: Logger; audit: { append(input: AuditEventInput): Promise<unknown> }; policy: () => readonly GovernorRule[] },
  ) {}

  async load(): Promise<void> {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(await readFile(this.options.file, 'utf8')));
      if (parsed.success) for (const s of parsed.data.suggestions) this.suggestions.set(s.id, s);
      else this.options.log.warn({ file: this.options.file }, 'governor file does not validate; starting empty');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.log.warn({ err: (error as Error).message }, 'could not read the governor file');
    }
  }

  list(): Suggestion[] {
    return [...this.suggestions.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** New proposals from the evidence, effectiveness of applied ones, and the explicit policy. */
  async learn(evidence: GovernorEvidence): Promise<void> {
    let changed = false;
    const at = new Date(evidence.now).toISOString();
    for (const proposal of proposeSuggestions(evidence)) {
      const existing = this.suggestions.get(proposal.id);
      if (existing && existing.status !== 'proposed') continue;
      if (!existing || existing.evidence.count !== proposal.evidence.count) {
        this.suggestions.set(proposal.id, {
          ...proposal,
          status: 'proposed',
          createdAt: existing?.createdAt ?? at,
          decidedAt: null,
          decidedBy: null,
          effectiveness: null,
        });
        changed = true;
      }
    }
    for (const s of this.suggestions.values()) {
      if (s.status === 'proposed' && this.options.policy().includes(s.rule)) {
        await this.decide(s.id, 'applied', 'policy:forecast.autoApply', evidence);
        continue;
      }
      const effectiveness = measureEffectiveness(s, evidence);
      if (JSON.stringify(effectiveness) !== JSON.stringify(s.effectiveness)) {
        s.effectiveness = effectiveness;
        changed = true;
      }
    }
    if (changed) await this.save();
  }

  async decide(id: string, decision: 'applied' | 'dismissed', actor: string, evidence?: GovernorEvidence): Promise<Suggestion> {
    const suggestion = this.suggestions.get(id);
    if (!suggestion) throw new GovernorError('not_found', `no suggestion ${id}`);
    if (suggestion.status !== 'proposed') throw new GovernorError('conflict', `suggestion ${id} is already ${suggestion.status}`);
    suggestion.status = decision;
    suggestion.decidedAt = new Date(evidence?.now ?? Date.now()).toISOString();
    suggestion.decidedBy = actor;
    if (evidence) suggestion.effectiveness = measureEffectiveness(suggestion, evidence);
    await this.save();
    await this.options.audit.append({
      type: decision === 'applied' ? 'forecast.suggestion_applied' : 'forecast.suggestion_dismissed',
      severity: 'notice',
      actor,
      action: `${decision === 'applied' ? 'apply' : 'dismiss'} hardening suggestion: ${suggestion.title}`,
      module: 'forecast',
      method: actor.startsWith('policy:') ? 'policy' : 'console',
      details: { id, rule: suggestion.rule, target: suggestion.target, change: suggestion.change, evidence: suggestion.evidence },
    });
    return suggestion;
  }

  private save(): Promise<void> {
    const body = `${JSON.stringify({ version: 1, suggestions: this.list() }, null, 2)}\n`;
    this.saving = this.saving
      .then(async () => {
        await mkdir(path.dirname(this.options.file), { recursive: true });
        const temp = `${this.options.file}.tmp`;
        await writeFile(temp, body);
        await rename(temp, this.options.file);
      })
      .catch((error: unknown) => this.options.log.warn({ err: (error as Error).message }, 'could not save the governor file'));
    return this.saving;
  }
}
