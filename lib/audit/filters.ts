import { z } from 'zod';
import { auditText, storableTimeProblem } from './audit-payload';
import { SEVERITIES, type Severity } from './types';

/** Relative ranges the filter bar offers; a `range` is resolved against "now" by the query. */
export const RELATIVE_RANGES = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type RelativeRange = keyof typeof RELATIVE_RANGES;

const TYPE_PATTERN = /^[a-z0-9_.:-]+$/;

/** "a,b" → ["a","b"]; empty parts are dropped so a trailing comma is harmless. */
const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(1000)
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(20));

// Text the databases can compare: PostgreSQL refuses NUL, so it is a bad parameter here instead of a failed query.
const text = auditText()
  .trim()
  .max(200)
  .optional()
  .transform((value) => (value ? value : undefined));
// A bound outside what the databases can compare (year 0 on PostgreSQL) is a bad parameter, not a failed query.
const isoDate = z
  .string()
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .superRefine((at, ctx) => {
    const problem = storableTimeProblem(at);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Filters as they arrive in URL query parameters (the page and both API routes share them). */
export const auditFilterQuerySchema = z
  .object({
    type: commaList(z.string().regex(TYPE_PATTERN, 'lowercase letters, digits and _ . : -').max(64)).optional(),
    severity: commaList(z.enum(SEVERITIES)).optional(),
    module: text,
    source: text,
    actor: text,
    // The reporting host (1 is the console's own worker): `?host=3` shows what agent 3 sent.
    host: z.coerce.number<string>().int().positive().max(2_147_483_647).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    range: z.enum(Object.keys(RELATIVE_RANGES) as [RelativeRange, ...RelativeRange[]]).optional(),
    q: text,
  })
  .refine((f) => !(f.range && (f.from || f.to)), { message: 'use either range or from/to', path: ['range'] })
  .refine((f) => !(f.from && f.to && f.from > f.to), { message: 'from must not be after to', path: ['from'] });

export type AuditFilters = z.infer<typeof auditFilterQuerySchema>;

/**
 * The opaque cursor is the last seq the client saw; keyset, never an offset. A seq is an
 * int4 on PostgreSQL, so a larger number is refused here instead of failing in the query.
 */
export const auditCursorSchema = z.coerce.number<string>().int().positive().max(2_147_483_647);

export const auditPageQuerySchema = z.object({
  cursor: auditCursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditSearchQuerySchema = z.intersection(auditFilterQuerySchema, auditPageQuerySchema);

export const auditExportQuerySchema = z.intersection(auditFilterQuerySchema, z.object({ format: z.enum(['ndjson', 'csv']).default('ndjson') }));

export interface AuditSearchFilters {
  types?: string[];
  severities?: Severity[];
  module?: string;
  source?: string;
  actor?: string;
  hostId?: number;
  from?: Date;
  to?: Date;
  q?: string;
}

/** Resolves `range` against `now` so the query sees only absolute bounds; "the last hour" ends now, not at the newest reported time. */
export function resolveAuditFilters(filters: AuditFilters, now = new Date()): AuditSearchFilters {
  const from = filters.range ? new Date(now.getTime() - RELATIVE_RANGES[filters.range]) : filters.from;
  return {
    types: filters.type?.length ? filters.type : undefined,
    severities: filters.severity?.length ? filters.severity : undefined,
    module: filters.module,
    source: filters.source,
    actor: filters.actor,
    hostId: filters.host,
    from,
    to: filters.range ? now : filters.to,
    q: filters.q,
  };
}
