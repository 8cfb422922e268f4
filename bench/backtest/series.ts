import { z } from 'zod';

export const SERIES_KINDS = ['disk', 'memory', 'latency', 'errors', 'restarts'] as const;
export type SeriesKind = (typeof SERIES_KINDS)[number];

/**
 * One replayed series at one-minute resolution (the health monitor's roll-up). `values` are
 * percent used, P95 milliseconds or error percent per minute; for `restarts` the minutes at
 * which the module restarted. `failureAt` is the minute the failure happened, null if never.
 */
export const backtestSeriesSchema = z.object({
  id: z.string(),
  kind: z.enum(SERIES_KINDS),
  failureAt: z.number().int().nonnegative().nullable(),
  capacity: z.number().optional(),
  baseline: z.number().optional(),
  threshold: z.number().optional(),
  values: z.array(z.number()),
  /** Where a recorded series came from. */
  source: z.string().optional(),
});
export type BacktestSeries = Omit<z.infer<typeof backtestSeriesSchema>, 'id'> & { id?: string };
