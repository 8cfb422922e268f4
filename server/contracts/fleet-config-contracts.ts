import { z } from 'zod';
import {
  fleetConfigAssignmentViewSchema,
  fleetConfigHostViewSchema,
  fleetConfigRollbackSchema,
  fleetConfigSaveSchema,
  fleetConfigVersionViewSchema,
} from '@/lib/fleet/fleet-config-api';
import { defineRoute } from './route-contract';

const actorSchema = z.object({ actor: z.string().min(1).max(200) });

/** Configuration assigned from the console to hosts or labels: versions, rollback, and where each host stands. */
export const fleetConfigContracts = {
  saveAssignment: defineRoute({
    method: 'POST',
    path: '/api/v1/fleet/config/assignments',
    auth: 'fleet:write',
    status: 201,
    tag: 'Fleet',
    summary: 'Save a new version of the configuration assigned to one host or to the hosts with some labels',
    description:
      "Any of modules, integrityPaths, logSources and snapshotSources, each checked by the configuration file's own schema; each replaces that part of the host's file. " +
      'Paths must be absolute. A host-specific assignment beats a label one; among label ones, the selector naming more labels, then the newest. ' +
      'Connected hosts it reaches receive it at once, signed; the others when they reconnect.',
    body: fleetConfigSaveSchema,
    response: fleetConfigAssignmentViewSchema,
  }),
  assignments: defineRoute({
    method: 'GET',
    path: '/api/v1/fleet/config/assignments',
    auth: 'fleet:read',
    tag: 'Fleet',
    summary: 'Every configuration assignment with its newest version',
    response: z.array(fleetConfigAssignmentViewSchema),
  }),
  versions: defineRoute({
    method: 'GET',
    path: '/api/v1/fleet/config/assignments/:id/versions',
    auth: 'fleet:read',
    tag: 'Fleet',
    summary: 'The versions of one assignment, newest first: who saved each, when and why',
    response: z.array(fleetConfigVersionViewSchema),
  }),
  rollback: defineRoute({
    method: 'POST',
    path: '/api/v1/fleet/config/assignments/:id/rollback',
    auth: 'fleet:write',
    status: 201,
    tag: 'Fleet',
    summary: "Roll an assignment back: a new version with an earlier one's content",
    body: fleetConfigRollbackSchema,
    response: fleetConfigAssignmentViewSchema,
  }),
  hosts: defineRoute({
    method: 'GET',
    path: '/api/v1/fleet/config/hosts',
    auth: 'fleet:read',
    tag: 'Fleet',
    summary: 'Per host: the assigned revision, the applied one, and pending or rejected with the reason',
    response: z.array(fleetConfigHostViewSchema),
  }),
  // The console's fleet page: the web app has checked the person is an admin and names them.
  internalSaveAssignment: defineRoute({
    method: 'POST',
    path: '/internal/v1/fleet/config/assignments',
    auth: 'internal',
    status: 201,
    tag: 'Internal',
    summary: 'Save a configuration assignment for an administrator of the console',
    body: fleetConfigSaveSchema.extend(actorSchema.shape),
    response: fleetConfigAssignmentViewSchema,
  }),
  internalAssignments: defineRoute({
    method: 'GET',
    path: '/internal/v1/fleet/config/assignments',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Every configuration assignment, for the fleet page',
    response: z.array(fleetConfigAssignmentViewSchema),
  }),
  internalVersions: defineRoute({
    method: 'GET',
    path: '/internal/v1/fleet/config/assignments/:id/versions',
    auth: 'internal',
    tag: 'Internal',
    summary: 'The versions of one assignment, for the fleet page',
    response: z.array(fleetConfigVersionViewSchema),
  }),
  internalRollback: defineRoute({
    method: 'POST',
    path: '/internal/v1/fleet/config/assignments/:id/rollback',
    auth: 'internal',
    status: 201,
    tag: 'Internal',
    summary: 'Roll an assignment back for an administrator of the console',
    body: fleetConfigRollbackSchema.extend(actorSchema.shape),
    response: fleetConfigAssignmentViewSchema,
  }),
  internalHosts: defineRoute({
    method: 'GET',
    path: '/internal/v1/fleet/config/hosts',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Where each host stands with its assigned configuration, for the fleet page',
    response: z.array(fleetConfigHostViewSchema),
  }),
};
