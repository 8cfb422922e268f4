import { z } from 'zod';
import { LABEL_NAME } from '../alerts/alert-labels';
import { NOTIFICATION_KINDS } from '../healing/incident';
import {
  discordChannelSchema,
  ntfyChannelSchema,
  opsgenieChannelSchema,
  pagerdutyChannelSchema,
  pushoverChannelSchema,
  teamsChannelSchema,
  telegramChannelSchema,
} from './alert-channels-config';
import { messageTemplateSchema } from '../alerts/message-template';

export const channelNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'letters, digits, . _ - (up to 63), starting with a letter or digit');

const common = {
  name: channelNameSchema,
  /** Only incidents that reached this escalation level (3 notify, 4 critical, 5 human) reach this channel. */
  minLevel: z.number().int().min(3).max(5).default(3),
  /** Which notification kinds this channel takes; all of them when not given. */
  kinds: z.array(z.enum(NOTIFICATION_KINDS)).min(1).optional(),
  /** Per attempt; a receiver that has not answered by then has failed this attempt. */
  timeoutSeconds: z.number().min(1).max(120).default(10),
  /** Further attempts after a failed one, with exponential back-off and jitter. */
  retries: z.number().int().min(0).max(10).default(3),
  /** Notifications waiting for this channel; past it the oldest is dropped (and audited). */
  queueSize: z.number().int().min(1).max(10_000).default(100),
};

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

export const webhookChannelSchema = z
  .object({
    ...common,
    kind: z.literal('webhook'),
    url: httpUrl,
    /** Signs each body: `X-Vigil-Signature: sha256=<HMAC-SHA256(secret, body) in hex>`. */
    secret: z.string().min(16, 'at least 16 characters').max(512).optional(),
    /** Sent with every delivery; checked here because fetch refuses a bad one only when it sends, every time. */
    headers: z
      .record(
        z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, "a header name: letters, digits and !#$%&'*+.^_`|~-"),
        z
          .string()
          .max(4000)
          .regex(/^[^\r\n\0]*$/, 'one line: no CR, LF or NUL'),
      )
      .default({}),
    /** A body of your own for alert messages, e.g. `{"text": "{{summary}}"}`: placeholders only, see the README. */
    bodyTemplate: messageTemplateSchema.optional(),
  })
  .strict();

/** A Slack incoming webhook, or anything that takes its payload (Mattermost, Rocket.Chat). */
export const slackChannelSchema = z.object({ ...common, kind: z.literal('slack'), url: httpUrl }).strict();

/**
 * `starttls` refuses a server that does not offer STARTTLS, `opportunistic` uses it when
 * offered, `tls` is implicit TLS (usually port 465), `none` never encrypts (a local relay).
 */
export const SMTP_SECURITY = ['starttls', 'opportunistic', 'tls', 'none'] as const;

export const emailChannelSchema = z
  .object({
    ...common,
    kind: z.literal('email'),
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65535).default(587),
    security: z.enum(SMTP_SECURITY).default('starttls'),
    /** Only for a server with a private or self-signed certificate. */
    rejectUnauthorized: z.boolean().default(true),
    auth: z
      .object({ user: z.string().min(1), password: z.string().min(1) })
      .strict()
      .optional(),
    from: z.email(),
    to: z.array(z.email()).min(1).max(50),
  })
  .strict();

const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable');

/**
 * An Alertmanager's v2 API (`POST <url>/api/v2/alerts`). Credentials are named by environment
 * variable, so the config file (often in version control) never holds them.
 */
export const alertmanagerChannelSchema = z
  .object({
    ...common,
    kind: z.literal('alertmanager'),
    /** Base URLs, e.g. `http://127.0.0.1:9093`; every member of a cluster gets every alert, as Prometheus does it. */
    urls: z
      .array(httpUrl.refine((url) => !URL.canParse(url) || (!new URL(url).username && !new URL(url).password), 'no credentials in the URL: use auth'))
      .min(1)
      .max(10),
    auth: z
      .union([z.object({ bearerTokenEnv: envVarName }).strict(), z.object({ username: z.string().min(1).max(200), passwordEnv: envVarName }).strict()])
      .optional(),
    /** Added to every alert (e.g. `team: ops`); Vigil's own labels win over these. */
    labels: z
      .record(z.string(), z.string().max(1000))
      .superRefine((labels, ctx) => {
        for (const name of Object.keys(labels))
          if (!LABEL_NAME.test(name))
            ctx.addIssue({ code: 'custom', path: [name], message: 'not a Prometheus label name (letters, digits and _, not starting with a digit)' });
      })
      .default({}),
    /** The `instance` label; this host's name when not given. */
    instance: z.string().min(1).max(200).optional(),
    /**
     * How long Alertmanager keeps an alert firing without news from Vigil. Reminders
     * (escalation.reminderMinutes) renew it, so keep this above their interval; a recovery ends it at once.
     */
    expireAfterMinutes: z.number().int().min(1).max(10_080).default(60),
  })
  .strict();

export const notificationChannelSchema = z.discriminatedUnion('kind', [
  webhookChannelSchema,
  slackChannelSchema,
  emailChannelSchema,
  alertmanagerChannelSchema,
  telegramChannelSchema.extend(common),
  ntfyChannelSchema.extend(common),
  teamsChannelSchema.extend(common),
  discordChannelSchema.extend(common),
  pushoverChannelSchema.extend(common),
  pagerdutyChannelSchema.extend(common),
  opsgenieChannelSchema.extend(common),
]);
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;
export type WebhookChannel = z.infer<typeof webhookChannelSchema>;
export type SlackChannel = z.infer<typeof slackChannelSchema>;
export type EmailChannel = z.infer<typeof emailChannelSchema>;
export type AlertmanagerChannel = z.infer<typeof alertmanagerChannelSchema>;

export const notificationsConfigSchema = z
  .object({
    channels: z
      .array(notificationChannelSchema)
      .max(50)
      .default([])
      .refine((channels) => new Set(channels.map((c) => c.name)).size === channels.length, 'channel names must be unique')
      .describe(
        'each of kind `webhook` (optional `bodyTemplate`), `slack`, `email`, `telegram`, `ntfy`, `teams`, `discord`, `pushover`, `pagerduty`, `opsgenie` (credentials as `{ env }` or `{ file }`) or `alertmanager` (Alertmanager v2 API: `urls`, `auth.bearerTokenEnv` or `auth.username` + `auth.passwordEnv`, `labels`, `instance`, `expireAfterMinutes`); see the README',
      ),
  })
  .strict();
export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;

/** The values in a channel that must never reach a log line, an audit event or the browser. */
export function channelSecrets(channel: NotificationChannel): string[] {
  switch (channel.kind) {
    case 'webhook':
      return [channel.url, channel.secret ?? '', ...Object.values(channel.headers)].filter(Boolean);
    case 'slack':
      // The path of a Slack webhook URL is its credential.
      return [channel.url, new URL(channel.url).pathname].filter((s) => s.length > 1);
    case 'email':
      return channel.auth ? [channel.auth.password] : [];
    case 'teams':
    case 'discord':
      // The URL of a Teams workflow or a Discord webhook carries its credential.
      return [channel.url, new URL(channel.url).pathname, new URL(channel.url).search].filter((s) => s.length > 1);
    default:
      // Credentials live in the environment or files; the worker adds their values when scrubbing.
      return [];
  }
}
