import { z } from 'zod';
import { SUBSYSTEM_KINDS, type SubsystemKind } from '../forecast/risk';
import { moduleNameSchema } from '../healing/module-common';
import { snapshotNameSchema } from '../recovery/snapshot-schema';

/** Bounds that keep a heartbeat small: a host with more modules lists its first ones; the newest golden snapshots are the ones restored. */
export const HEARTBEAT_MODULES = 200;
export const HEARTBEAT_GOLDEN_SNAPSHOTS = 20;

const riskScoreSchema = z.number().int().min(0).max(100).nullable();

/** The worst risk per subsystem kind (the local heatmap's rows, folded by kind): a fixed, small set, so a heartbeat stays bounded. */
export const hostRiskSchema = z
  .object(Object.fromEntries(SUBSYSTEM_KINDS.map((kind) => [kind, riskScoreSchema.optional()])) as Record<SubsystemKind, z.ZodOptional<typeof riskScoreSchema>>)
  .strict();
export type HostRisk = z.infer<typeof hostRiskSchema>;

/** What a heartbeat carries besides health and mode: what the fleet page shows for each host. */
export const hostStatusSchema = z
  .object({
    risk: hostRiskSchema,
    openIncidents: z.number().int().min(0).max(1_000_000),
    version: z.string().regex(/^[A-Za-z0-9_.+-]{1,40}$/, 'a version of 1-40 letters, digits, dots, dashes, pluses or underscores'),
    /** What the console may ask this host to restart or restore; optional, so an agent of an earlier version is still heard. */
    modules: z.array(moduleNameSchema).max(HEARTBEAT_MODULES).optional(),
    goldenSnapshots: z.array(snapshotNameSchema).max(HEARTBEAT_GOLDEN_SNAPSHOTS).optional(),
  })
  .strict();
export type HostStatus = z.infer<typeof hostStatusSchema>;

/** Folds the forecast's subsystems (one per module, disk, …) into the worst risk of each kind. */
export function riskByKind(subsystems: ReadonlyArray<{ kind: SubsystemKind; risk: number }>): HostRisk {
  const risk: HostRisk = {};
  for (const { kind, risk: score } of subsystems) risk[kind] = Math.max(risk[kind] ?? 0, Math.round(score));
  return risk;
}

/** Reads a stored status back; a row written by an older or damaged writer gives null rather than a broken page. */
export function parseHostStatus(stored: string | null): HostStatus | null {
  if (!stored) return null;
  try {
    const parsed = hostStatusSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The status part of a heartbeat, when the agent sent all of it (an earlier agent sends none). */
export function statusOfHeartbeat(beat: Partial<HostStatus>): HostStatus | null {
  const { risk, openIncidents, version, modules, goldenSnapshots } = beat;
  if (!risk || openIncidents === undefined || !version) return null;
  return { risk, openIncidents, version, ...(modules && { modules }), ...(goldenSnapshots && { goldenSnapshots }) };
}

/** Live: these hosts' rows changed (heartbeat, connection, revocation); the fleet page refetches the list. */
export interface FleetHostsChanged {
  hostIds: number[];
}
