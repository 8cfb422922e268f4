import { z } from 'zod';
import { argvSchema } from '../config/argv';

export const moduleNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'letters, digits, . _ - (up to 63), starting with a letter or digit');

export const AUTONOMY_TIERS = ['auto', 'review', 'approval'] as const;
/** auto: act; review: act and flag for an operator to review; approval: wait for an operator. */
export const autonomySchema = z.enum(AUTONOMY_TIERS);
export type Autonomy = z.infer<typeof autonomySchema>;

/** The default detection thresholds; each module may override any of them. */
export const detectionSchema = z
  .object({
    errorRate: z.number().min(0).max(1).default(0.05),
    errorWindowSeconds: z.number().min(10).max(3600).default(60),
    latencyFactor: z.number().min(1.1).max(100).default(2),
    /** And at least this many milliseconds over the baseline: 2 ms → 5 ms on loopback is noise, not degradation. */
    latencyFloorMs: z.number().min(0).max(60_000).default(25),
    heartbeatSeconds: z.number().min(1).max(86_400).default(30),
    /** For supervised processes: CPU of one core and share of host memory, sustained this long. */
    cpuPercent: z.number().min(1).max(6400).default(90),
    memoryPercent: z.number().min(1).max(100).default(95),
    sustainSeconds: z.number().min(1).max(86_400).default(120),
  })
  .strict();

/**
 * The restart budget is a rate: at most `maxAttempts` automatic restarts in any `windowSeconds`
 * (a kill every few seconds is a crash loop, a kill an hour after the last one is not). Between
 * restarts inside the window, CrashLoop-style back-off: 1 s doubling to 5 min (Kubernetes' numbers);
 * the first restart after a quiet window is immediate.
 */
export const restartPolicySchema = z
  .object({
    initialBackoffSeconds: z.number().min(0).max(60).default(1),
    maxBackoffSeconds: z.number().min(1).max(3600).default(300),
    resetAfterSeconds: z
      .number()
      .min(1)
      .max(86_400)
      .default(600)
      .describe('the window when windowSeconds is not given (its earlier name): restarts older than this are forgotten'),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(5)
      .describe('automatic restarts allowed in any windowSeconds; one more and the incident goes to people'),
    windowSeconds: z.number().min(1).max(86_400).optional().describe('the sliding window of the restart budget; default resetAfterSeconds (600)'),
    /** A restart command or hook that has not finished by then has failed. */
    timeoutSeconds: z.number().min(1).max(600).default(30),
  })
  .strict()
  // Configurations written before the window had its own key keep their meaning.
  .transform((policy) => ({ ...policy, windowSeconds: policy.windowSeconds ?? policy.resetAfterSeconds }));

export const maintenanceWindowConfigSchema = z.union([
  z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }).strict(),
  z
    .object({
      days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).min(1),
      start: z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM'),
      end: z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM'),
      timezone: z.string().default('UTC'),
    })
    .strict(),
]);

const common = {
  name: moduleNameSchema,
  intervalSeconds: z.number().min(1).max(3600).default(30),
  timeoutSeconds: z.number().min(0.1).max(300).default(10),
  critical: z.boolean().default(false),
  dependsOn: z.array(moduleNameSchema).max(20).default([]),
  failureThreshold: z.number().int().min(1).max(100).default(3),
  successThreshold: z.number().int().min(1).max(100).default(1),
  maintenance: z.array(maintenanceWindowConfigSchema).max(20).default([]),
  autonomy: autonomySchema.default('auto'),
  /** Probe and report, never act. */
  observeOnly: z.boolean().default(false),
  detection: detectionSchema.default(detectionSchema.parse({})),
  restartPolicy: restartPolicySchema.default(restartPolicySchema.parse({})),
  /** How to restart what Vigil does not own: an argv command, or an HTTP hook it POSTs to. */
  restart: z.union([z.object({ command: argvSchema }).strict(), z.object({ http: z.url() }).strict()]).optional(),
  repair: z.object({ command: argvSchema }).strict().optional(),
  configSync: z.object({ command: argvSchema }).strict().optional(),
};

const statusSpec = z.union([z.number().int().min(100).max(599), z.string().regex(/^[1-5]xx$/, 'a status like 200 or a class like 2xx')]);

export const httpModuleSchema = z
  .object({
    ...common,
    kind: z.literal('http'),
    url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
    method: z.enum(['GET', 'HEAD']).default('GET'),
    expectStatus: z.array(statusSpec).min(1).default(['2xx', '3xx']),
    bodyContains: z.string().max(1000).optional(),
    /** A dotted path into a JSON body and the value it must hold, e.g. status = "ok". */
    json: z
      .object({ path: z.string().min(1).max(200), equals: z.union([z.string(), z.number(), z.boolean(), z.null()]) })
      .strict()
      .optional(),
    tlsExpiryDays: z.number().int().min(0).max(365).default(14),
    /** For internal services with self-signed certificates (Uptime Kuma's "ignore TLS errors"). */
    ignoreTlsErrors: z.boolean().default(false),
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export const tcpModuleSchema = z.object({ ...common, kind: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict();

export const processModuleSchema = z
  .object({
    ...common,
    kind: z.literal('process'),
    command: argvSchema,
    cwd: z.string().optional(),
    env: z.record(z.string(), z.string()).default({}),
    restartOn: z.enum(['always', 'failure', 'never']).default('always'),
    /** Optional readiness probe: the process counts as serving once this answers 2xx. */
    readyUrl: z.url().optional(),
    logLines: z.number().int().min(10).max(10_000).default(500),
  })
  .strict();

export const externalModuleSchema = z
  .object({ ...common, kind: z.literal('external'), pidFile: z.string().optional(), processName: z.string().max(15).optional() })
  .strict()
  .refine((m) => m.pidFile || m.processName, { message: 'give pidFile or processName', path: ['pidFile'] });

export const pushModuleSchema = z
  .object({ ...common, kind: z.literal('push'), token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, '16-128 URL-safe characters') })
  .strict();

export const commandModuleSchema = z
  .object({ ...common, kind: z.literal('command'), command: argvSchema, expectExit: z.number().int().min(0).max(255).default(0) })
  .strict();

export const moduleSchema = z.discriminatedUnion('kind', [
  httpModuleSchema,
  tcpModuleSchema,
  processModuleSchema,
  externalModuleSchema,
  pushModuleSchema,
  commandModuleSchema,
]);
export type ModuleDefinition = z.infer<typeof moduleSchema>;
export type ModuleKind = ModuleDefinition['kind'];
export type HttpModule = z.infer<typeof httpModuleSchema>;
export type ProcessModule = z.infer<typeof processModuleSchema>;

/** Kinds that make the worker run a program: only admins may define them. */
export const runsCommands = (module: ModuleDefinition): boolean =>
  module.kind === 'process' ||
  module.kind === 'command' ||
  Boolean(module.restart && 'command' in module.restart) ||
  Boolean(module.repair) ||
  Boolean(module.configSync);

export const MODULE_STATES = ['up', 'down', 'degraded', 'paused', 'pending', 'maintenance'] as const;
export type ModuleState = (typeof MODULE_STATES)[number];
