import { alertRuleSchema, type AlertRule, type AlertsConfig } from '@/lib/alerts/alert-rules';
import type { RuleView } from '@/lib/alerts/alert-views';
import { DEFAULT_ALERT_RULES, effectiveRules } from '@/lib/alerts/default-rules';
import type { Database } from '../db/client';
import { listStoredAlertRules } from '../queries/alerts';
import type { Logger } from '../log';

/**
 * The console's rules live in the database and are cached here; every write goes through
 * this store, which refreshes the cache, so a saved rule applies to the next event without a
 * restart. The config file's rules are read at each use, so a reloaded file applies as well.
 */
export class AlertRuleStore {
  private stored: AlertRule[] = [];

  constructor(private readonly deps: { database: Database; config: () => AlertsConfig; log: Logger }) {}

  /** False when the database could not be read: the shipped and configured rules still apply. */
  async load(): Promise<boolean> {
    const rows = await listStoredAlertRules(this.deps.database).catch((error: unknown) => {
      this.deps.log.warn({ err: error }, "the console's alert rules cannot be read now; the shipped and configured rules apply until they can");
      return null;
    });
    if (rows === null) return false;
    const rules: AlertRule[] = [];
    for (const row of rows) {
      // One schema for every path in: a row that no longer parses (a newer version wrote it) is skipped, not fatal.
      const parsed = alertRuleSchema.safeParse(JSON.parse(row.definition));
      if (parsed.success) rules.push(parsed.data);
      else this.deps.log.warn({ rule: row.name, problem: parsed.error.issues[0]?.message }, 'stored alert rule does not validate; ignored');
    }
    this.stored = rules;
    return true;
  }

  rules(): AlertRule[] {
    const config = this.deps.config();
    return effectiveRules({ defaults: config.defaults, configured: config.rules, stored: this.stored });
  }

  rulesByName(): Map<string, AlertRule> {
    return new Map(this.rules().map((rule) => [rule.name, rule]));
  }

  views(): RuleView[] {
    const config = this.deps.config();
    const consoleNames = new Set(this.stored.map((rule) => rule.name));
    const configNames = new Set(config.rules.map((rule) => rule.name));
    return this.rules().map((rule) => ({ rule, origin: consoleNames.has(rule.name) ? 'console' : configNames.has(rule.name) ? 'config' : 'shipped' }));
  }

  /** Returns whether a rule of that name was in force before (an edit) or not (a new rule). */
  async save(rule: AlertRule, actor: string): Promise<{ replaced: boolean }> {
    const replaced = this.rules().some((existing) => existing.name === rule.name);
    const definition = JSON.stringify(rule);
    await this.deps.database.prisma.alertRule.upsert({
      where: { name: rule.name },
      create: { name: rule.name, definition, updatedAt: new Date(), updatedBy: actor },
      update: { definition, updatedAt: new Date(), updatedBy: actor },
    });
    await this.load();
    return { replaced };
  }

  /** Removes the console's version; a shipped or configured rule of the same name applies again. */
  async remove(name: string): Promise<boolean> {
    const { count } = await this.deps.database.prisma.alertRule.deleteMany({ where: { name } });
    await this.load();
    return count > 0;
  }

  isShippedOrConfigured(name: string): boolean {
    return DEFAULT_ALERT_RULES.some((rule) => rule.name === name) || this.deps.config().rules.some((rule) => rule.name === name);
  }
}
