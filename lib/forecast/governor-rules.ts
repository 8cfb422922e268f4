import { z } from 'zod';

/**
 * The hardening governor learns from what happened. Each rule reads the evidence (incidents,
 * threats) and proposes one change with the numbers that justify it; nothing applies itself
 * unless the config's `forecast.autoApply` policy names the rule.
 */
export const GOVERNOR_RULES = ['noisy-threshold', 'restart-budget', 'repeat-abuser'] as const;
export type GovernorRule = (typeof GOVERNOR_RULES)[number];

export const suggestionStatusSchema = z.enum(['proposed', 'applied', 'dismissed']);

export const suggestionSchema = z.object({
  id: z.string(),
  rule: z.enum(GOVERNOR_RULES),
  target: z.string(),
  title: z.string(),
  evidence: z.object({ count: z.number(), windowHours: z.number(), examples: z.array(z.string()) }),
  /** The config change, as a path in vigil.config.yaml with the old and new value. */
  change: z.object({ path: z.string(), from: z.union([z.number(), z.string(), z.null()]), to: z.union([z.number(), z.string(), z.null()]) }),
  status: suggestionStatusSchema,
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  /** Incidents (or threats) for the target in equal windows before and after applying. */
  effectiveness: z
    .object({ before: z.number(), after: z.number(), hoursAfter: z.number(), verdict: z.enum(['pending', 'improved', 'unchanged', 'worse']) })
    .nullable(),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

export interface IncidentEvidence {
  id: string;
  module: string;
  failureClass: string;
  escalationLevel: number;
  openedAt: string;
  resolvedAt: string | null;
}

export interface ThreatEvidence {
  id: string;
  at: string;
  scenario: string;
  key: string;
}

/** `restartPolicy.maxAttempts` and `detection.latencyFactor` of one module (lib/healing/module-schema.ts). */
export interface ModuleSettings {
  maxAttempts: number;
  latencyFactor: number;
}

export interface GovernorEvidence {
  now: number;
  incidents: IncidentEvidence[];
  threats: ThreatEvidence[];
  /** Per module: its current latency factor and restart attempts. */
  modules: (ModuleSettings & { name: string })[];
}

const HOUR = 3_600_000;
const WINDOW_HOURS = 24;
/** Three or more short self-resolving incidents a day: alert fatigue (Google SRE book, ch. 6, "every page should be actionable"). */
const NOISY_MIN = 3;
const NOISY_MAX_MINUTES = 5;
/** Two escalations past the restart budget in a day: the budget, not the module, is the problem. */
const BUDGET_MIN = 2;
/** The same source tripping a rate limit three times: a temporary isolation is not deterring it. */
const ABUSE_MIN = 3;

type Proposal = Omit<Suggestion, 'status' | 'createdAt' | 'decidedAt' | 'decidedBy' | 'effectiveness'>;

const grouped = <T>(items: T[], key: (item: T) => string) => {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
};

export function proposeSuggestions(evidence: GovernorEvidence): Proposal[] {
  const since = evidence.now - WINDOW_HOURS * HOUR;
  const recent = evidence.incidents.filter((i) => Date.parse(i.openedAt) >= since);
  const proposals: Proposal[] = [];
  for (const [module, incidents] of grouped(recent, (i) => i.module)) {
    const settings = evidence.modules.find((m) => m.name === module);
    if (!settings) continue;
    const flapping = incidents.filter(
      (i) =>
        i.resolvedAt &&
        (Date.parse(i.resolvedAt) - Date.parse(i.openedAt)) / 60_000 <= NOISY_MAX_MINUTES &&
        (i.failureClass === 'transient' || i.failureClass === 'degradation'),
    );
    if (flapping.length >= NOISY_MIN) {
      const to = Math.round((settings.latencyFactor + 1) * 10) / 10;
      proposals.push({
        id: `noisy-threshold:${module}`,
        rule: 'noisy-threshold',
        target: module,
        title: `${module}: latency threshold fires too often; raise it from ${settings.latencyFactor}x to ${to}x baseline`,
        evidence: { count: flapping.length, windowHours: WINDOW_HOURS, examples: flapping.slice(0, 5).map((i) => i.id) },
        change: { path: `modules[${module}].detection.latencyFactor`, from: settings.latencyFactor, to },
      });
    }
    const exhausted = incidents.filter((i) => i.failureClass === 'service_failure' && i.escalationLevel >= 3);
    if (exhausted.length >= BUDGET_MIN) {
      const to = Math.min(100, settings.maxAttempts + 3);
      proposals.push({
        id: `restart-budget:${module}`,
        rule: 'restart-budget',
        target: module,
        title: `${module}: ran out of restarts ${exhausted.length} times; raise the budget from ${settings.maxAttempts} to ${to}`,
        evidence: { count: exhausted.length, windowHours: WINDOW_HOURS, examples: exhausted.slice(0, 5).map((i) => i.id) },
        change: { path: `modules[${module}].restartPolicy.maxAttempts`, from: settings.maxAttempts, to },
      });
    }
  }
  const rateThreats = evidence.threats.filter((t) => t.scenario.startsWith('rate-abuse') && Date.parse(t.at) >= since);
  for (const [key, threats] of grouped(rateThreats, (t) => t.key)) {
    if (threats.length < ABUSE_MIN) continue;
    proposals.push({
      id: `repeat-abuser:${key}`,
      rule: 'repeat-abuser',
      target: key,
      title: `${key} hit the rate limit ${threats.length} times; block it for good`,
      evidence: { count: threats.length, windowHours: WINDOW_HOURS, examples: threats.slice(0, 5).map((t) => t.id) },
      change: { path: 'defense.blocklist', from: null, to: key },
    });
  }
  return proposals;
}

/** Did it help? Incidents for the target in the same length of time before and after applying. */
export function measureEffectiveness(suggestion: Suggestion, evidence: GovernorEvidence): Suggestion['effectiveness'] {
  if (suggestion.status !== 'applied' || !suggestion.decidedAt) return null;
  const applied = Date.parse(suggestion.decidedAt);
  const hoursAfter = (evidence.now - applied) / HOUR;
  const span = Math.min(WINDOW_HOURS * HOUR, evidence.now - applied);
  const times =
    suggestion.rule === 'repeat-abuser'
      ? evidence.threats.filter((t) => t.key === suggestion.target).map((t) => Date.parse(t.at))
      : evidence.incidents.filter((i) => i.module === suggestion.target).map((i) => Date.parse(i.openedAt));
  const before = times.filter((t) => t < applied && t >= applied - span).length;
  const after = times.filter((t) => t >= applied && t < applied + span).length;
  // An hour is too little to judge a daily pattern.
  const verdict = hoursAfter < 1 ? 'pending' : after < before ? 'improved' : after > before ? 'worse' : 'unchanged';
  return { before, after, hoursAfter: Math.round(hoursAfter * 10) / 10, verdict };
}
