import { z } from 'zod';
import { canonicalSourceSchema } from '../defense/defense-api';
import { degradationLevelSchema } from '../health/degradation';
import { fleetOperatorWireActionSchema } from './fleet-actions';
import { hostStatusSchema } from './host-status';

/** `role=web`, `site=fra`: short names and values, so labels can be filters and URL parameters. */
export const hostLabelsSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_.-]{0,39}$/, 'label names are 1-40 lowercase letters, digits, dots, dashes or underscores, starting with a letter'),
    z.string().regex(/^[A-Za-z0-9_.:-]{1,63}$/, 'label values are 1-63 letters, digits, dots, colons, dashes or underscores'),
  )
  .refine((labels) => Object.keys(labels).length <= 20, 'at most 20 labels');
export type HostLabels = z.infer<typeof hostLabelsSchema>;

export const createEnrollmentSchema = z
  .object({
    labels: hostLabelsSchema.default({}),
    uses: z.number().int().min(1).max(10_000).default(1),
    expiresInMinutes: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 60)
      .default(60),
  })
  .strict();

export const enrollmentTokenAnswerSchema = z.object({ token: z.string(), expiresAt: z.string(), uses: z.number() });

/** What an agent sends once, to trade an enrollment token for a host id. */
export const agentEnrollmentSchema = z
  .object({
    token: z.string().min(1).max(200),
    /** Ed25519, SPKI PEM. */
    publicKey: z
      .string()
      .max(500)
      .regex(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n?$/, 'an SPKI PEM public key'),
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,63}$/, 'a host name of 1-63 letters, digits, dots, dashes or underscores'),
  })
  .strict();
export type AgentEnrollment = z.infer<typeof agentEnrollmentSchema>;

/** The console's key comes back so the agent can pin it and refuse commands signed by anyone else. */
export const agentEnrolledSchema = z.object({ hostId: z.number().int().positive(), consolePublicKey: z.string() });
export type AgentEnrolled = z.infer<typeof agentEnrolledSchema>;

export const defenseModeNames = ['NORMAL', 'ELEVATED', 'LOCKDOWN'] as const;

export const hostViewSchema = z.object({
  id: z.number(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  connected: z.boolean(),
  lastSeen: z.string().nullable(),
  /** When a remote host's connection dropped; null while connected, and for the console's own host. */
  disconnectedSince: z.string().nullable(),
  healthScore: z.number().nullable(),
  degradation: z.string().nullable(),
  defenseMode: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** The rest of the last heartbeat (risk per subsystem, open incidents, version); null before the first. */
  status: hostStatusSchema.nullable(),
});
export type HostView = z.infer<typeof hostViewSchema>;

export const hostIdParamSchema = z.coerce.number().int().positive();

/** Console → agent, right after connecting: the nonce to sign, signed itself so a relay cannot pose as the console. */
export const fleetChallengeSchema = z.object({ nonce: z.string().length(43), signature: z.string().max(200) });
export type FleetChallenge = z.infer<typeof fleetChallengeSchema>;

/** Agent → console: who it is, proven by its signature over the console's nonce. */
export const fleetHelloSchema = z.object({ hostId: z.number().int().positive(), signature: z.string().max(200) }).strict();
export type FleetHello = z.infer<typeof fleetHelloSchema>;

export const fleetHeartbeatSchema = z
  .object({
    healthScore: z.number().int().min(0).max(100).nullable(),
    degradation: degradationLevelSchema.nullable(),
    defenseMode: z.enum(defenseModeNames),
  })
  // Optional: an agent of an earlier version, without them, still reports its health.
  .extend(hostStatusSchema.partial().shape)
  .strict();
export type FleetHeartbeat = z.infer<typeof fleetHeartbeatSchema>;

export const fleetIsolateCommandSchema = z.object({
  kind: z.literal('isolate'),
  source: canonicalSourceSchema,
  reason: z.string().max(500),
  actor: z.string().max(200),
  /** ISO time the isolation ends; null: until released. */
  until: z.string().nullable(),
  /** Set when an operator's fleet command sent it: the agent then answers with a result for that command. */
  commandId: z.string().uuid().optional(),
});

/** What the console signs: a command for one host, with a nonce and an expiry so it cannot be replayed. */
export const fleetCommandSchema = z.object({
  nonce: z.string().length(43),
  hostId: z.number().int().positive(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  action: z.union([fleetIsolateCommandSchema, fleetOperatorWireActionSchema]),
});
export type FleetCommand = z.infer<typeof fleetCommandSchema>;

export const signedFleetCommandSchema = z.object({ command: fleetCommandSchema, signature: z.string().max(200) });
export type SignedFleetCommand = z.infer<typeof signedFleetCommandSchema>;

/** socket.io events of the `/fleet` namespace, both directions. */
export const FLEET_NAMESPACE = '/fleet';
export const FLEET_EVENTS = {
  challenge: 'fleet:challenge',
  hello: 'fleet:hello',
  welcome: 'fleet:welcome',
  heartbeat: 'fleet:heartbeat',
  command: 'fleet:command',
  commandResult: 'fleet:command-result',
  /** Per-source signal counts for fleet-wide detection (see fleet-counts.ts). */
  counts: 'fleet:counts',
  /** An agent's own automatic isolation, shared with the fleet. */
  localDecision: 'fleet:local-decision',
} as const;
