import { z } from 'zod';

/** A host as the fleet page names it (its agent's name), or its id. */
const vantageHostSchema = z.union([
  z.number().int().min(2),
  z.string().regex(/^[A-Za-z0-9_.-]{1,63}$/, 'a host name of 1-63 letters, digits, dots, dashes or underscores'),
]);

/**
 * Where an HTTP or TCP module is probed from besides (or instead of) this host: agents picked by
 * name or id and by labels, and how many of them must see it down before it is an outage. Fewer
 * than the quorum seeing it down is a problem of those vantage points (the module is degraded),
 * not of the target. When the vantage points are all named (no labels), the quorum cannot exceed
 * their number; with labels the number is only known at run time, and a quorum larger than the
 * hosts that match is met when all of them see it down.
 */
export const vantageSchema = z
  .object({
    hosts: z.array(vantageHostSchema).max(50).default([]).describe('agents by name or id; with labels, a host either selects is a vantage point'),
    labels: z.record(z.string().regex(/^[a-z][a-z0-9_.-]{0,39}$/), z.string().regex(/^[A-Za-z0-9_.:-]{1,63}$/)).optional(),
    /** The console's own probe is one vote among the agents'. */
    includeConsole: z.boolean().default(false).describe("the console's own probe is one more vote"),
    quorum: z.number().int().min(1).max(50).describe('down when this many vantage points see it down; at most the named points, or all that labels match'),
  })
  .strict()
  .superRefine((vantage, ctx) => {
    const console = vantage.includeConsole ? 1 : 0;
    if (vantage.hosts.length === 0 && !vantage.labels && !console)
      ctx.addIssue({ code: 'custom', path: ['hosts'], message: 'name hosts, give labels, or include the console: a vantage needs at least one point' });
    const named = new Set(vantage.hosts).size + console;
    if (!vantage.labels && vantage.quorum > named)
      ctx.addIssue({ code: 'custom', path: ['quorum'], message: `a quorum of ${vantage.quorum} cannot be met by ${named} vantage point(s)` });
  });
export type Vantage = z.infer<typeof vantageSchema>;

/** What one vantage point saw at its last probe; `unknown` when it has not answered in two intervals or is disconnected. */
export const VANTAGE_STATUSES = ['up', 'down', 'inconclusive', 'unknown'] as const;
export type VantageStatus = (typeof VANTAGE_STATUSES)[number];

export const vantagePointViewSchema = z.object({
  /** 1 is the console itself. */
  hostId: z.number(),
  name: z.string(),
  status: z.enum(VANTAGE_STATUSES),
  latencyMs: z.number().nullable(),
  error: z.string().nullable(),
  at: z.string().nullable(),
});
export type VantagePointView = z.infer<typeof vantagePointViewSchema>;

/** up: none sees it down; partial: some do, fewer than the quorum; down: the quorum does; unknown: no fresh vote. */
export const VANTAGE_VERDICTS = ['up', 'partial', 'down', 'unknown'] as const;
export type VantageVerdictKind = (typeof VANTAGE_VERDICTS)[number];

export const vantageSummarySchema = z.object({
  verdict: z.enum(VANTAGE_VERDICTS),
  quorum: z.number(),
  /** When the console last read the votes. */
  decidedAt: z.string(),
  points: z.array(vantagePointViewSchema),
});
export type VantageSummary = z.infer<typeof vantageSummarySchema>;
