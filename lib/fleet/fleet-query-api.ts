import { z } from 'zod';
import type { DefenseMode, DefenseThreat } from '../defense/defense-types';

/**
 * The views of one host the console may ask its agent for, read-only: each is exactly what the
 * agent's own API answers for it, so the same components render a remote host's view.
 * `healing`: modules, open and recent incidents (the Healing page); `modules`, `incidents`,
 * `threats`: the machine API's lists; `snapshots`: the Recovery page's snapshots and golden status.
 */
export const HOST_SECTIONS = ['healing', 'modules', 'incidents', 'snapshots', 'threats'] as const;
export const hostSectionSchema = z.enum(HOST_SECTIONS);
export type HostSection = z.infer<typeof hostSectionSchema>;

/** Console → agent: which view, for which host, valid for a short while (signed like a command). */
export const fleetQuerySchema = z
  .object({
    nonce: z.string().length(43),
    hostId: z.number().int().positive(),
    section: hostSectionSchema,
    issuedAt: z.string().max(40),
    expiresAt: z.string().max(40),
  })
  .strict();
export type FleetQuery = z.infer<typeof fleetQuerySchema>;

export const signedFleetQuerySchema = z.object({ query: fleetQuerySchema, signature: z.string().max(200) }).strict();
export type SignedFleetQuery = z.infer<typeof signedFleetQuerySchema>;

/** Agent → console, as the query's acknowledgement: the view, or why there is none. */
export const fleetQueryAnswerSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }).strict(),
  z.object({ ok: z.literal(false), error: z.string().max(2000) }).strict(),
]);
export type FleetQueryAnswer = z.infer<typeof fleetQueryAnswerSchema>;

export const FLEET_QUERY_EVENT = 'fleet:query';

/** One host's view as the console serves it: live from the agent, or the last one received while it is away. */
export interface HostSectionView<T = unknown> {
  hostId: number;
  section: HostSection;
  /** When the agent produced this view (the console's clock at the answer). */
  asOf: string;
  /** False: the agent did not answer now, and this is the last answer it gave. */
  live: boolean;
  data: T;
}

/** The `threats` view: the host's defense mode and its latest threats, newest first. */
export interface HostThreatsView {
  mode: DefenseMode;
  threats: DefenseThreat[];
}
