import type { FleetActionKind } from './fleet-actions';
import type { FleetHostStatus } from './fleet-command-api';

// Without zod schemas (which reach node:net through the source parser), so the browser can import them.

/** Kinds only an admin may send: a restore replaces files on the host; LOCKDOWN makes every non-admin read-only (as on the console's own page). */
export const ADMIN_FLEET_KINDS: ReadonlySet<FleetActionKind> = new Set(['snapshot-restore', 'lockdown', 'lift-lockdown']);

/** Nothing more will happen to the command on that host. */
export const FINAL_FLEET_STATUSES: ReadonlySet<FleetHostStatus> = new Set(['succeeded', 'failed', 'refused']);
