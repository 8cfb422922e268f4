import { z } from 'zod';
import { argvSchema } from '../config/argv';
import { moduleCommon as common } from './module-common';
import { MONITOR_KIND_SCHEMAS } from './monitor-kinds-schema';
import { processLimitsSchema } from './process-limits';
import { resourceRuleSchema } from './resource-rules';
import { vantageSchema } from './vantage-schema';

export {
  moduleNameSchema,
  AUTONOMY_TIERS,
  autonomySchema,
  type Autonomy,
  detectionSchema,
  restartPolicySchema,
  maintenanceWindowConfigSchema,
} from './module-common';

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
    /** Probed from other hosts of the fleet too, with a quorum. */
    vantage: vantageSchema.optional(),
  })
  .strict();

/** Uptime Kuma's keyword monitor: an HTTP check whose body must (or, inverted, must not) contain a word. */
export const keywordModuleSchema = httpModuleSchema.extend({
  kind: z.literal('keyword'),
  keyword: z.string().min(1).max(1000),
  invertKeyword: z.boolean().default(false),
});

export const tcpModuleSchema = z
  .object({ ...common, kind: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65535), vantage: vantageSchema.optional() })
  .strict();

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
    /** Monit-style: "restart if memory > 500 MB for 3 cycles", "alert if cpu > 90 % for 2 minutes". */
    resourceRules: z.array(resourceRuleSchema).max(10).default([]),
    /** Kernel-enforced limits through a control group (v2, or v1 where that is what the host has). */
    limits: processLimitsSchema.optional(),
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
  keywordModuleSchema,
  ...MONITOR_KIND_SCHEMAS,
]);
export type ModuleDefinition = z.infer<typeof moduleSchema>;
export type ModuleKind = ModuleDefinition['kind'];
export type HttpModule = z.infer<typeof httpModuleSchema>;
export type KeywordModule = z.infer<typeof keywordModuleSchema>;
export type ProcessModule = z.infer<typeof processModuleSchema>;

/** Kinds that make the worker run a program: only admins may define them. */
export const runsCommands = (module: ModuleDefinition): boolean =>
  module.kind === 'process' ||
  module.kind === 'command' ||
  Boolean(module.restart && 'command' in module.restart) ||
  Boolean(module.repair) ||
  Boolean(module.configSync);

/** Kinds that read a secret from the worker's environment: only admins may name one. */
export const readsSecrets = (module: ModuleDefinition): boolean => 'passwordEnv' in module && module.passwordEnv !== undefined;

export const MODULE_STATES = ['up', 'down', 'degraded', 'paused', 'pending', 'maintenance'] as const;
export type ModuleState = (typeof MODULE_STATES)[number];
