import { z } from 'zod';
import { operatorReasonSchema } from '@/lib/audit/audit-payload';
import type { VerificationResult } from '@/lib/audit/verification';
import type { ClusterOverview } from '@/lib/ha/cluster-messages';
import { degradationLevelSchema, FEATURES } from '@/lib/health/degradation';
import type { HealthSnapshot } from '@/lib/health/types';
import { defineRoute } from './route-contract';
import { isoTime, jsonObject, view } from './wire';

const defenseModeSchema = z.enum(['NORMAL', 'ELEVATED', 'LOCKDOWN']);

const healthSnapshotSchema = view<HealthSnapshot>({
  sample: jsonObject,
  score: z.number(),
  deductions: z.array(jsonObject),
  degradation: degradationLevelSchema,
  pinnedDegradation: degradationLevelSchema.nullable(),
  disabledFeatures: z.array(z.enum(FEATURES)),
  workerStartedAt: isoTime,
  database: z.object({ ok: z.boolean(), pendingEvents: z.number(), lastError: z.string().nullable() }),
});

const clusterOverviewSchema = view<ClusterOverview>({
  ha: z.boolean(),
  self: z
    .object({
      nodeId: z.string(),
      role: z.enum(['leader', 'standby']),
      leader: z.object({ nodeId: z.string(), url: z.string(), since: isoTime }).nullable(),
      since: isoTime,
    })
    .nullable(),
  members: z.array(z.object({ node: z.string(), address: z.string().nullable(), since: isoTime, leader: z.boolean() })),
});

/** The dedicated guard process's channel, as the worker sees it (`GuardChannelStatus`). */
const guardChannelSchema = z.object({ unwrittenMessages: z.number(), behindSince: isoTime.nullable(), withheldMessages: z.number(), resyncs: z.number() });

export const healthzResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  healthScore: z.number().nullable(),
  degradation: degradationLevelSchema,
  defenseMode: defenseModeSchema,
  database: z.object({ ok: z.boolean(), pendingEvents: z.number() }),
  config: z.object({ ok: z.boolean(), since: isoTime }),
  cluster: z.object({ node: z.string(), role: z.enum(['leader', 'standby']), since: isoTime, leader: z.string().nullable() }).optional(),
  guardProcess: guardChannelSchema.optional(),
});

export const pinDegradationSchema = z.object({
  level: degradationLevelSchema.nullable(),
  actor: z.string().min(1).max(200),
  reason: operatorReasonSchema,
});

export const verifyAuditSchema = z.object({ mode: z.enum(['full', 'incremental']).default('incremental') }).default({ mode: 'incremental' });

const verificationResultSchema = view<VerificationResult>({
  ok: z.boolean(),
  mode: z.enum(['full', 'incremental']),
  fromSeq: z.number(),
  toSeq: z.number().optional(),
  verifiedThrough: z.object({ seq: z.number(), at: isoTime }).nullable(),
  firstBadSeq: z.number().optional(),
  problem: z.string().optional(),
  breaks: z.array(z.object({ seq: z.number(), problem: z.string() })).optional(),
  message: z.string(),
  events: z.number(),
  checkpointsChecked: z.number(),
  lastCheckpoint: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  eventsPerSecond: z.number(),
  startedAt: isoTime,
  finishedAt: isoTime,
});

/** Health, degradation, the audit chain's checks and the cluster: the worker's own state. */
export const healthContracts = {
  healthz: defineRoute({
    method: 'GET',
    path: '/healthz',
    auth: 'public',
    standby: 'local',
    tag: 'Machine',
    summary: "Liveness with health score, degradation, defense mode, the dedicated guard process's channel and, with several workers, this replica's role",
    response: healthzResponseSchema,
  }),
  features: defineRoute({
    method: 'GET',
    path: '/api/v1/features',
    auth: 'health:read',
    tag: 'Machine',
    summary: 'Feature map of the current degradation level',
    response: z.object({ degradation: degradationLevelSchema, features: z.partialRecord(z.enum(FEATURES), z.boolean()), disabled: z.array(z.enum(FEATURES)) }),
  }),
  health: defineRoute({
    method: 'GET',
    path: '/api/v1/health',
    auth: 'health:read',
    tag: 'Machine',
    summary: 'Current health sample',
    response: healthSnapshotSchema.nullable(),
  }),
  clusterForMachines: defineRoute({
    method: 'GET',
    path: '/api/v1/cluster',
    auth: 'health:read',
    standby: 'local',
    tag: 'Machine',
    summary: 'Worker replicas and which one leads (VIGIL_HA on PostgreSQL); any replica answers',
    response: clusterOverviewSchema,
  }),
  cluster: defineRoute({
    method: 'GET',
    path: '/internal/v1/cluster',
    auth: 'internal',
    standby: 'local',
    tag: 'Internal',
    summary: 'Worker replicas and which one leads',
    response: clusterOverviewSchema,
  }),
  currentHealth: defineRoute({
    method: 'GET',
    path: '/internal/v1/health',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Current health sample',
    response: healthSnapshotSchema.nullable(),
  }),
  pinDegradation: defineRoute({
    method: 'POST',
    path: '/internal/v1/degradation/pin',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Hold the degradation level at least this degraded, or release it (null)',
    body: pinDegradationSchema,
    response: healthSnapshotSchema.nullable(),
  }),
  verifyAudit: defineRoute({
    method: 'POST',
    path: '/internal/v1/audit/verify',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Verify the audit hash chain',
    body: verifyAuditSchema,
    response: verificationResultSchema,
  }),
  auditPublicKey: defineRoute({
    method: 'GET',
    path: '/internal/v1/audit/public-key',
    auth: 'internal',
    tag: 'Internal',
    summary: 'The public key that signs audit checkpoints',
    response: z.object({ keyId: z.string(), publicKeyPem: z.string() }),
  }),
  metrics: defineRoute({
    method: 'GET',
    path: '/metrics',
    auth: 'public',
    standby: 'local',
    tag: 'Machine',
    summary: 'Prometheus metrics (text exposition format)',
    // The handler writes the text itself: no JSON body to describe.
    response: z.void(),
    contentType: 'text/plain',
  }),
};
