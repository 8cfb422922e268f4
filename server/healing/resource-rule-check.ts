import { parseResourceRule, type ResourceRule } from '@/lib/healing/resource-rules';
import type { ProcessUsage } from './process-usage';
import { failed, type ProbeResult } from './probes/probe-result';

interface RuleStreak {
  cycles: number;
  since: number;
}

const MB = 1024 * 1024;

function measuredValue(rule: ResourceRule, usage: ProcessUsage): number {
  if (rule.metric === 'cpu') return usage.cpuPercent;
  return rule.unit === 'percent' ? usage.memoryPercent : usage.rssBytes;
}

const describeValue = (rule: ResourceRule, value: number): string =>
  rule.unit === 'percent' ? `${value.toFixed(rule.metric === 'cpu' ? 0 : 1)} %` : `${Math.round(value / MB)} MB`;

/**
 * Counts, per rule of one supervised process, the consecutive probes (cycles) and the time its
 * usage has stayed over the rule's threshold; a sample under it starts the count again.
 */
export class ResourceRuleTracker {
  private readonly streaks = new Map<string, RuleStreak>();
  private readonly parsed = new Map<string, ResourceRule>();
  private pid: number | null = null;

  /** The first rule that holds now: a restart rule fails the probe, an alert rule warns. */
  check(texts: readonly string[], usage: ProcessUsage, pid: number, at: number): ProbeResult | null {
    // A new pid is a restarted process: its counts start again.
    if (pid !== this.pid) this.streaks.clear();
    this.pid = pid;
    for (const text of texts) {
      const rule = this.rule(text);
      if (!rule) continue;
      const value = measuredValue(rule, usage);
      if (value <= rule.threshold) {
        this.streaks.delete(text);
        continue;
      }
      const streak = this.streaks.get(text) ?? { cycles: 0, since: at };
      streak.cycles++;
      this.streaks.set(text, streak);
      const heldMs = at - streak.since;
      const holds = rule.forCycles !== null ? streak.cycles >= rule.forCycles : heldMs >= (rule.forMs ?? 0);
      if (!holds) continue;
      const span = rule.forCycles !== null ? `${streak.cycles} cycles` : `${Math.round(heldMs / 1000)} s`;
      const message = `${rule.metric} ${describeValue(rule, value)} over ${describeValue(rule, rule.threshold)} for ${span}: ${rule.action}`;
      const evidence = { rule: rule.text, action: rule.action, cpuPercent: Math.round(usage.cpuPercent), rssBytes: usage.rssBytes, cycles: streak.cycles };
      if (rule.action === 'restart') return failed('resource_exhaustion', message, null, evidence);
      return { ok: true, latencyMs: null, message, finding: { kind: 'resource_exhaustion', message, evidence } };
    }
    return null;
  }

  private rule(text: string): ResourceRule | null {
    let rule = this.parsed.get(text);
    if (!rule) {
      const parsed = parseResourceRule(text);
      if (typeof parsed === 'string') return null;
      this.parsed.set(text, (rule = parsed));
    }
    return rule;
  }
}
