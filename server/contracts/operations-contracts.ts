import { z } from 'zod';
import { SCENARIO_NAMES, startDrillSchema, type DrillOverview } from '@/lib/drills/drill-schema';
import { integrityFindingSchema, rebaselineRequestSchema, type IntegrityStatus } from '@/lib/integrity/integrity-status';
import { defineRoute } from './route-contract';
import { isoTime, jsonObject, view } from './wire';

const integrityStatusSchema = view<IntegrityStatus>({
  enabled: z.boolean(),
  realtime: z.object({ active: z.boolean(), directories: z.number(), note: z.string().nullable() }),
  filesWatched: z.number(),
  roots: z.array(z.object({ path: z.string(), critical: z.boolean() })),
  baselineCreatedAt: isoTime.nullable(),
  baselineAgeMs: z.number().nullable(),
  lastScan: z.object({ at: isoTime, durationMs: z.number(), files: z.number(), bytes: z.number(), findings: z.number() }).nullable(),
  scanning: z.boolean(),
  nextScanAt: isoTime.nullable(),
  outstanding: z.number(),
  recentFindings: z.array(integrityFindingSchema),
  lastError: z.string().nullable(),
});

const drillOverviewSchema = view<DrillOverview>({
  running: z.boolean(),
  progress: z.array(z.object({ scenario: z.enum(SCENARIO_NAMES), state: z.enum(['waiting', 'injected', 'passed', 'failed']), note: z.string().nullable() })),
  runs: z.array(
    z.looseObject({
      id: z.string(),
      startedAt: isoTime,
      finishedAt: isoTime,
      actor: z.string(),
      harder: z.boolean(),
      passed: z.boolean(),
      results: z.array(jsonObject),
    }),
  ),
});

/** File integrity and chaos drills, relayed by the web app. */
export const operationsContracts = {
  integrityStatus: defineRoute({
    method: 'GET',
    path: '/internal/v1/integrity',
    auth: 'internal',
    tag: 'Internal',
    summary: 'File-integrity status and recent findings',
    response: integrityStatusSchema,
  }),
  rebaselineIntegrity: defineRoute({
    method: 'POST',
    path: '/internal/v1/integrity/rebaseline',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Accept the watched files as they are now',
    body: rebaselineRequestSchema,
    response: integrityStatusSchema,
  }),
  drills: defineRoute({
    method: 'GET',
    path: '/internal/v1/drills',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Past drill results, and whether one runs',
    response: drillOverviewSchema,
  }),
  startDrill: defineRoute({
    method: 'POST',
    path: '/internal/v1/drills',
    auth: 'internal',
    status: 202,
    tag: 'Internal',
    summary: 'Run a chaos drill now (admins)',
    body: startDrillSchema,
    response: z.object({ started: z.literal(true) }),
  }),
};
