import { z } from 'zod';
import { operatorReasonSchema } from '../audit/audit-payload';

/** One imported list as the console shows it. */
export const blocklistStatusSchema = z.object({
  name: z.string(),
  /** The URL or the file path it is read from. */
  source: z.string(),
  kind: z.enum(['url', 'file']),
  refreshMinutes: z.number(),
  /** Addresses and ranges as listed. */
  entries: z.number(),
  /** Merged intervals enforced, after exclusions. */
  intervals: z.number(),
  /** CIDR ranges bouncers receive for those intervals. */
  ranges: z.number(),
  /** Entries that touched the allowlist, loopback or a trusted proxy: those addresses are never enforced. */
  excluded: z.number(),
  lastRefreshAt: z.string().nullable(),
  nextRefreshAt: z.string().nullable(),
  /** When its entries stop being enforced unless a refresh succeeds first. */
  expiresAt: z.string().nullable(),
  refreshing: z.boolean(),
  lastError: z.object({ at: z.string(), message: z.string() }).nullable(),
});
export type BlocklistStatus = z.infer<typeof blocklistStatusSchema>;

export const blocklistsResponseSchema = z.object({ blocklists: z.array(blocklistStatusSchema) });
export type BlocklistsResponse = z.infer<typeof blocklistsResponseSchema>;

export const blocklistRefreshRequestSchema = z
  .object({ name: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'a list name'), reason: operatorReasonSchema.optional() })
  .strict();
export type BlocklistRefreshRequest = z.infer<typeof blocklistRefreshRequestSchema>;
