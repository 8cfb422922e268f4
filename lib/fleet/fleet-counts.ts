import { z } from 'zod';
import { canonicalSourceSchema } from '../defense/defense-api';
import { SIGNAL_KINDS } from '../defense/signals';

/** Distinct (kind, source) pairs in one report at most: what an agent holds between two flushes is bounded too. */
export const MAX_COUNTS_PER_REPORT = 1000;
/** One pair's count in one report at most (the console pours no more than its largest capacity anyway). */
export const MAX_COUNT_PER_ENTRY = 1_000_000;

/**
 * Agent → console: how many signals of each kind each source caused on the agent since its last
 * report, below or above the local thresholds alike, so the console can count a source across
 * the fleet. Attributed to the host whose socket proved its key at hello, never to a field here.
 */
export const fleetCountsSchema = z
  .object({
    /** Per connection, from 1: a gap or a repeat shows in the console's log. */
    seq: z.number().int().positive(),
    counts: z
      .array(
        z.tuple([
          z.enum(SIGNAL_KINDS),
          // Canonical address text as the guard resolved it; the console parses it again.
          z.string().min(2).max(45),
          z.number().int().min(1).max(MAX_COUNT_PER_ENTRY),
        ]),
      )
      .min(1)
      .max(MAX_COUNTS_PER_REPORT),
    /** Signals the agent could not fit in its bounded table since the last report. */
    dropped: z.number().int().min(0),
  })
  .strict();
export type FleetCounts = z.infer<typeof fleetCountsSchema>;

/** Agent → console: a source this host's own detectors isolated, for the console to isolate everywhere. */
export const fleetLocalDecisionSchema = z
  .object({
    source: canonicalSourceSchema,
    scenario: z.string().max(64).nullable(),
    reason: z.string().max(500),
    /** ISO time the agent's isolation ends; null: until released. */
    expiresAt: z.string().datetime().nullable(),
  })
  .strict();
export type FleetLocalDecision = z.infer<typeof fleetLocalDecisionSchema>;
