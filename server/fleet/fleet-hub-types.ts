import type { KeyObject } from 'node:crypto';
import type { HostStatus } from '@/lib/fleet/host-status';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import type { FleetReplicas } from './fleet-replicas';

export interface LocalHostState {
  healthScore: number | null;
  degradation: string | null;
  defenseMode: string;
  status: HostStatus | null;
}

export interface FleetHubDeps {
  database: Database;
  audit: AuditWriter;
  log: Logger;
  consoleKey: KeyObject;
  /** Host 1 is this worker: its state is read live rather than from heartbeats. */
  localState: () => LocalHostState;
  /** Where agents' committed events are announced, as the writer announces its own. */
  announce?: (events: ChainedAuditEvent[]) => void;
  /** After a host's row changed (heartbeat, connection, revocation): the fleet page's live feed. */
  onHostChanged?: (hostId: number) => void;
  /** With console replicas: what concerns agents held elsewhere goes to the others. */
  replicas?: FleetReplicas;
}

export interface FleetAgentListener {
  connected(hostId: number): Promise<void>;
  result(hostId: number, raw: unknown): Promise<void>;
}

export interface FleetIsolationRequest {
  source: string;
  reason: string;
  actor: string;
  /** null: until released. */
  durationMs: number | null;
  /** A host that decided it itself and needs no command. */
  exceptHostId?: number;
}
