import { z } from 'zod';

/**
 * Chat, push and paging channels. Their credentials are named, never written in the config
 * file: `{ env: NAME }` reads an environment variable, `{ file: PATH }` a file (a Docker or
 * systemd secret), each at delivery, so a rotated secret applies without a restart.
 */
const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable');
export const secretRefSchema = z.union([
  z.object({ env: envVarName }).strict(),
  z.object({ file: z.string().min(1).max(4096).startsWith('/', 'an absolute path') }).strict(),
]);
export type SecretRef = z.infer<typeof secretRefSchema>;

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

export const telegramChannelSchema = z
  .object({
    kind: z.literal('telegram'),
    botToken: secretRefSchema,
    chatId: z.union([z.string().min(1).max(100), z.number().int()]),
    /** Bot API base; a local Bot API server or a test receiver may stand in. */
    apiUrl: httpUrl.default('https://api.telegram.org'),
  })
  .strict();

export const ntfyChannelSchema = z
  .object({
    kind: z.literal('ntfy'),
    url: httpUrl.default('https://ntfy.sh'),
    topic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (up to 64)'),
    token: secretRefSchema.optional(),
  })
  .strict();

/** A Teams workflow ("When a Teams webhook request is received") or a legacy incoming webhook: both take an Adaptive Card message. */
export const teamsChannelSchema = z.object({ kind: z.literal('teams'), url: httpUrl }).strict();
export const discordChannelSchema = z.object({ kind: z.literal('discord'), url: httpUrl }).strict();

export const pushoverChannelSchema = z
  .object({
    kind: z.literal('pushover'),
    token: secretRefSchema,
    user: secretRefSchema,
    apiUrl: httpUrl.default('https://api.pushover.net'),
  })
  .strict();

export const pagerdutyChannelSchema = z
  .object({
    kind: z.literal('pagerduty'),
    routingKey: secretRefSchema,
    apiUrl: httpUrl.default('https://events.pagerduty.com'),
  })
  .strict();

export const opsgenieChannelSchema = z
  .object({
    kind: z.literal('opsgenie'),
    apiKey: secretRefSchema,
    /** `https://api.eu.opsgenie.com` for the EU instance. */
    apiUrl: httpUrl.default('https://api.opsgenie.com'),
  })
  .strict();

export const ALERT_CHANNEL_SCHEMAS = [
  telegramChannelSchema,
  ntfyChannelSchema,
  teamsChannelSchema,
  discordChannelSchema,
  pushoverChannelSchema,
  pagerdutyChannelSchema,
  opsgenieChannelSchema,
] as const;
