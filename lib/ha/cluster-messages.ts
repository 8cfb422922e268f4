import { z } from 'zod';
import { signalKindSchema, type SecuritySignal } from '../defense/signals';
import { editableSectionSchema } from '../settings/editable-sections';
import { fleetCommandSchema, fleetIsolateCommandSchema } from '../fleet/fleet-api';
import { fleetCountsSchema, fleetLocalDecisionSchema } from '../fleet/fleet-counts';

/**
 * What replicas tell each other over PostgreSQL NOTIFY. A notification carries at most
 * 8,000 bytes, so messages stay small; anything bigger becomes a `resync`, which makes
 * standbys read the state from the database instead.
 */
export const NOTIFY_PAYLOAD_LIMIT = 7900;

const decisionSchema = z.object({
  id: z.number().int(),
  source: z.string().min(1).max(64),
  scope: z.enum(['ip', 'range']),
  origin: z.enum(['auto', 'manual']),
  scenario: z.string().nullable(),
  reason: z.string(),
  actor: z.string(),
  offence: z.number().int(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});

const lockdownSchema = z.object({ actor: z.string(), reason: z.string(), since: z.string(), expiresAt: z.string().nullable() });

/** Signals a standby saw, folded by what the detectors tell apart; `count` repeats it. */
/** Field limits of a relayed signal; the relay cuts longer values to them (they are ingest's own limits or less). */
export const RELAYED_LIMITS = { source: 200, user: 200, token: 100, path: 512, origin: 200 } as const;

export const relayedSignalSchema = z.object({
  kind: signalKindSchema,
  // Empty when the event named no address: it still counts per user or token.
  source: z.string().max(RELAYED_LIMITS.source),
  user: z.string().max(RELAYED_LIMITS.user).optional(),
  token: z.string().max(RELAYED_LIMITS.token).optional(),
  path: z.string().max(RELAYED_LIMITS.path).optional(),
  status: z.number().int().optional(),
  origin: z.string().max(RELAYED_LIMITS.origin),
  at: z.number(),
  count: z.number().int().min(1).max(1_000_000),
});
export type RelayedSignal = z.infer<typeof relayedSignalSchema>;

const from = z.string().min(1).max(200);
const hostId = z.number().int().positive();
/** Hosts named in one `fleet-send` at most; a longer list goes in several. */
export const MAX_FLEET_SEND_HOSTS = 500;

/** Between replicas of a fleet console: each delivers to the agents whose sockets it holds. */
const fleetMessages = [
  /** Sign and send `action` to each of these hosts whose socket is here. */
  z.object({
    kind: z.literal('fleet-send'),
    from,
    hostIds: z.array(hostId).min(1).max(MAX_FLEET_SEND_HOSTS),
    action: fleetCommandSchema.shape.action,
    notAfter: z.string().datetime(),
  }),
  /** A fleet-wide isolation: every agent connected here, but the one that decided it. */
  z.object({
    kind: z.literal('fleet-isolate'),
    from,
    isolation: fleetIsolateCommandSchema.omit({ kind: true, commandId: true }),
    exceptHostId: hostId.optional(),
  }),
  /** A host was revoked: the replica holding its socket cuts it. */
  z.object({ kind: z.literal('fleet-revoke'), from, hostId }),
  /** An agent's signal counts, on their way to the leader's fleet-wide detectors. */
  z.object({ kind: z.literal('fleet-counts'), from, hostId, counts: fleetCountsSchema.shape.counts }),
  /** A configuration version was saved: the replica holding each agent it reaches pushes it. */
  z.object({ kind: z.literal('fleet-config'), from, revision: z.number().int().positive() }),
  /** A source an agent isolated by itself, on its way to the leader. */
  z.object({ kind: z.literal('fleet-decision'), from, hostId, decision: fleetLocalDecisionSchema }),
] as const;

export const clusterMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('decision'), from, change: z.enum(['isolated', 'restored', 'expired']), decision: decisionSchema }),
  z.object({ kind: z.literal('mode'), from, mode: z.enum(['NORMAL', 'ELEVATED', 'LOCKDOWN']), lockdown: lockdownSchema.nullable() }),
  z.object({ kind: z.literal('allowlist'), from }),
  z.object({ kind: z.literal('resync'), from }),
  z.object({ kind: z.literal('signals'), from, signals: z.array(relayedSignalSchema).max(500) }),
  z.object({ kind: z.literal('leader'), from, url: z.string().url(), since: z.string() }),
  /** A config section saved or reverted in the console: the others read the stored sections again. */
  z.object({ kind: z.literal('settings'), from, section: editableSectionSchema }),
  ...fleetMessages,
]);
export type ClusterMessage = z.infer<typeof clusterMessageSchema>;
export type FleetClusterMessage = Extract<ClusterMessage, { kind: `fleet-${string}` }>;
/** A message before the bus stamps its sender. */
export type ClusterMessageBody = ClusterMessage extends infer M ? (M extends { from: string } ? Omit<M, 'from'> : never) : never;

export type NodeRole = 'leader' | 'standby';

/** Who leads, as a replica knows it: in /healthz, the metrics and the dashboard. */
export interface ClusterStatus {
  nodeId: string;
  role: NodeRole;
  leader: { nodeId: string; url: string; since: string } | null;
  /** When this replica last became leader or standby. */
  since: string;
}

/** The leader's side of the relay: a folded signal back into the ones the detectors count, with a bound per entry. */
export function unfoldSignals(signals: RelayedSignal[], observe: (signal: SecuritySignal) => void, maxRepeat = 10_000): void {
  for (const { count, ...signal } of signals) {
    const repeat = Math.min(count, maxRepeat);
    for (let i = 0; i < repeat; i++) observe(signal);
  }
}

/** A replica as PostgreSQL sees it: one listening session per live replica. */
export interface ClusterMember {
  node: string;
  /** The replica's address as the database sees it; null over a Unix socket. */
  address: string | null;
  /** When its listening session began (about when the replica started). */
  since: string;
  leader: boolean;
}

export interface ClusterOverview {
  /** False with SQLite or VIGIL_HA off: one worker, nothing to elect. */
  ha: boolean;
  self: ClusterStatus | null;
  members: ClusterMember[];
}
