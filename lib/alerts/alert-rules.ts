import { z } from 'zod';
import { SEVERITIES, severitySchema } from '../audit/types';

/**
 * Alert rules: which committed audit events page someone, on which channels, and how often.
 * One schema serves the config file (`alerts.rules`), the console's editor and the database.
 */

/** An audit event type, where `*` stands for any run of characters: `defense.*`, `recovery.*_failed`. */
export const eventPatternSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9_.:*-]+$/, 'an event type: lowercase letters, digits, _ . : - and * as a wildcard');

export const alertRuleNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/, 'letters, digits, space . _ - (up to 63), starting with a letter or digit');

/** What an alert groups its events by: one message per burst of events sharing these values. */
export const GROUP_FIELDS = ['type', 'module', 'host', 'resource', 'source'] as const;

export const alertRuleSchema = z
  .object({
    name: alertRuleNameSchema,
    enabled: z.boolean().default(true),
    events: z.array(eventPatternSchema).min(1).max(50),
    /** The least severity an event needs. */
    minSeverity: severitySchema.default('debug'),
    /** Each list, when given, must contain the event's value (`*` wildcards allowed). */
    modules: z.array(z.string().min(1).max(200)).max(50).optional(),
    hosts: z.array(z.string().min(1).max(253)).max(50).optional(),
    /** Every label must equal the event's (labels are the event's fields and its flat detail values). */
    labels: z.record(z.string().min(1).max(64), z.string().max(500)).optional(),
    /** Channel names; `*` (the default) means every configured channel. */
    channels: z.array(z.string().min(1).max(63)).min(1).max(50).default(['*']),
    groupBy: z.array(z.enum(GROUP_FIELDS)).max(GROUP_FIELDS.length).default(['type', 'module']),
    /** Waits this long after a group's first event before the first message, gathering the burst. */
    groupWaitSeconds: z.number().min(0).max(3600).default(1),
    /** Then sends news of the group at most this often. */
    groupIntervalSeconds: z.number().min(1).max(86_400).default(300),
    /** Reminds of a firing, unacknowledged alert this often. */
    repeatIntervalSeconds: z
      .number()
      .min(60)
      .max(7 * 86_400)
      .default(4 * 3600),
    /** A group with no new event for this long is resolved. */
    resolveAfterSeconds: z
      .number()
      .min(60)
      .max(30 * 86_400)
      .default(3600),
  })
  .strict();
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSchema>;

export const alertsConfigSchema = z
  .object({
    /** Added to the shipped rules; a rule with a shipped rule's name replaces it. */
    rules: z
      .array(alertRuleSchema)
      .max(200)
      .default([])
      .refine((rules) => new Set(rules.map((rule) => rule.name)).size === rules.length, 'rule names must be unique')
      .describe(
        'alert rules over audit events (see the README); each: name, events (wildcards), minSeverity, modules, hosts, labels, channels, groupBy, groupWaitSeconds, groupIntervalSeconds, repeatIntervalSeconds, resolveAfterSeconds',
      ),
    /** The shipped rules (lockdown, critical threat, critical integrity change …); false leaves only yours. */
    defaults: z.boolean().default(true),
  })
  .strict();
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

export const silenceMatcherSchema = z
  .object({
    name: z.string().min(1).max(64),
    /** `*` wildcards allowed, as in rules. */
    value: z.string().max(500),
  })
  .strict();

export const silenceInputSchema = z
  .object({
    matchers: z.array(silenceMatcherSchema).min(1).max(20),
    /** Minutes from now until it expires. */
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(90 * 24 * 60),
    comment: z.string().trim().min(1, 'say why').max(500),
  })
  .strict();
export type SilenceInput = z.infer<typeof silenceInputSchema>;

/** Labels that name one thing (one module, one file, one address): the scope of an operator's silence. */
const PINNING_LABELS = new Set(['module', 'resource', 'source']);

/**
 * A silence that pins no exact module, resource or source can mute whole classes of pages
 * (every lockdown, every critical threat; `host` names every event on a single install).
 * That is as much as editing the rules, which is an admin's call, so it is an admin's too.
 */
export const silenceNeedsAdmin = (matchers: readonly SilenceMatcher[]): boolean =>
  !matchers.some((matcher) => PINNING_LABELS.has(matcher.name) && matcher.value !== '' && !matcher.value.includes('*'));
export type SilenceMatcher = z.infer<typeof silenceMatcherSchema>;

export const acknowledgeInputSchema = z.object({ comment: z.string().trim().max(500).default('') }).strict();

export const severityRank = (severity: (typeof SEVERITIES)[number]): number => SEVERITIES.indexOf(severity);

/**
 * The rule's channel names that no configured channel has, with their place in `channels`: a
 * rule routed only to those would page no one. The config file and the console both refuse them.
 */
export function unknownChannels(rule: Pick<AlertRule, 'channels'>, configured: readonly string[]): { index: number; message: string }[] {
  const known = configured.length > 0 ? `configured: ${configured.join(', ')}` : 'no notification channels are configured';
  return rule.channels.flatMap((name, index) =>
    name === '*' || configured.includes(name) ? [] : [{ index, message: `no notification channel named "${name}"; ${known}` }],
  );
}
