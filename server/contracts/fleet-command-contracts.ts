import { z } from 'zod';
import { roleSchema } from '@/lib/auth/roles';
import { fleetCommandIssuedSchema, fleetCommandRequestSchema, fleetCommandViewSchema, RECENT_FLEET_COMMANDS } from '@/lib/fleet/fleet-command-api';
import { withActor } from '@/lib/recovery/recovery-api';
import { defineRoute } from './route-contract';

/** Operators' commands to hosts of the fleet, and where each stands on every host it went to. */
export const fleetCommandContracts = {
  sendCommand: defineRoute({
    method: 'POST',
    path: '/api/v1/fleet/commands',
    auth: 'commands:write',
    status: 202,
    tag: 'Fleet',
    summary: 'Send a command to one host, the hosts with some labels, or the whole fleet',
    description:
      'Kinds: isolate, release, restart-module, lockdown and lift-lockdown (admin only), snapshot-create, snapshot-restore (admin only: golden snapshots). ' +
      'Each host answers accepted, progress, then succeeded or failed (or refused); follow them with GET /api/v1/fleet/commands/{id} or the live feed. ' +
      'A host that is disconnected receives isolate, release, lockdown and lift-lockdown when it reconnects within a day; the others expire after a minute.',
    body: fleetCommandRequestSchema,
    response: fleetCommandIssuedSchema,
  }),
  commands: defineRoute({
    method: 'GET',
    path: '/api/v1/fleet/commands',
    auth: 'fleet:read',
    tag: 'Fleet',
    summary: `The ${RECENT_FLEET_COMMANDS} newest fleet commands, each with its status and last result on every host it went to`,
    response: z.array(fleetCommandViewSchema),
  }),
  command: defineRoute({
    method: 'GET',
    path: '/api/v1/fleet/commands/:id',
    auth: 'fleet:read',
    tag: 'Fleet',
    summary: 'A fleet command and its status and last result on each host',
    response: fleetCommandViewSchema,
  }),
  // The console's pages: the web app has authenticated the person and passes who they are and their role.
  internalSendCommand: defineRoute({
    method: 'POST',
    path: '/internal/v1/fleet/commands',
    auth: 'internal',
    status: 202,
    tag: 'Internal',
    summary: 'Send a fleet command for a signed-in operator',
    body: withActor(fleetCommandRequestSchema.extend({ role: roleSchema })),
    response: fleetCommandIssuedSchema,
  }),
  internalCommands: defineRoute({
    method: 'GET',
    path: '/internal/v1/fleet/commands',
    auth: 'internal',
    tag: 'Internal',
    summary: 'The newest fleet commands, for the fleet page',
    response: z.array(fleetCommandViewSchema),
  }),
  internalCommand: defineRoute({
    method: 'GET',
    path: '/internal/v1/fleet/commands/:id',
    auth: 'internal',
    tag: 'Internal',
    summary: 'A fleet command and where it stands on each host',
    response: fleetCommandViewSchema,
  }),
};
