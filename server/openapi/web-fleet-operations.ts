import { z } from 'zod';
import { fleetCommandIssuedSchema, fleetCommandRequestSchema, fleetCommandViewSchema } from '@/lib/fleet/fleet-command-api';
import {
  fleetConfigAssignmentViewSchema,
  fleetConfigHostViewSchema,
  fleetConfigRollbackSchema,
  fleetConfigSaveSchema,
  fleetConfigVersionViewSchema,
} from '@/lib/fleet/fleet-config-api';
import { hostSectionContracts } from '../contracts';
import { type OperationSpec, webOperation } from './operation-spec';

const web = webOperation;

/** The console's fleet command routes (app/api/fleet/**), described as web-operations.ts describes the rest. */
export const FLEET_WEB_OPERATIONS: OperationSpec[] = [
  web({
    method: 'post',
    path: '/api/fleet/commands',
    tag: 'Fleet',
    summary: 'Send a command to one host, the hosts with some labels, or the whole fleet (a restore needs an admin)',
    role: 'operator',
    body: ['FleetCommandRequest', fleetCommandRequestSchema],
    response: ['FleetCommandIssued', fleetCommandIssuedSchema],
  }),
  web({
    method: 'get',
    path: '/api/fleet/commands',
    tag: 'Fleet',
    summary: 'The newest fleet commands, each with where it stands on every host',
    role: 'viewer',
    response: ['FleetCommandViews', z.array(fleetCommandViewSchema)],
  }),
  web({
    method: 'get',
    path: '/api/fleet/commands/{id}',
    tag: 'Fleet',
    summary: 'A fleet command and where it stands on each host',
    role: 'viewer',
    response: ['FleetCommandView', fleetCommandViewSchema],
  }),
  web({
    method: 'get',
    path: '/api/fleet/config/assignments',
    tag: 'Fleet',
    summary: 'Every configuration assignment with its newest version',
    role: 'viewer',
    response: ['FleetConfigAssignments', z.array(fleetConfigAssignmentViewSchema)],
  }),
  web({
    method: 'post',
    path: '/api/fleet/config/assignments',
    tag: 'Fleet',
    summary: 'Save a new version of the configuration assigned to a host or to some labels',
    role: 'admin',
    body: ['FleetConfigSave', fleetConfigSaveSchema],
    response: ['FleetConfigAssignment', fleetConfigAssignmentViewSchema],
  }),
  web({
    method: 'get',
    path: '/api/fleet/config/assignments/{id}/versions',
    tag: 'Fleet',
    summary: 'The versions of one assignment, newest first',
    role: 'viewer',
    response: ['FleetConfigVersions', z.array(fleetConfigVersionViewSchema)],
  }),
  web({
    method: 'post',
    path: '/api/fleet/config/assignments/{id}/rollback',
    tag: 'Fleet',
    summary: "Roll an assignment back: a new version with an earlier one's content",
    role: 'admin',
    body: ['FleetConfigRollback', fleetConfigRollbackSchema],
    response: ['FleetConfigAssignment', fleetConfigAssignmentViewSchema],
  }),
  web({
    method: 'get',
    path: '/api/fleet/config/hosts',
    tag: 'Fleet',
    summary: 'Per host: assigned and applied revisions, pending or rejected with the reason',
    role: 'viewer',
    response: ['FleetConfigHosts', z.array(fleetConfigHostViewSchema)],
  }),
  web({
    method: 'get',
    path: '/api/fleet/hosts/{id}/{section}',
    tag: 'Fleet',
    summary: "One host's healing, modules, incidents, snapshots or threats, as its own pages show them (asked of its agent)",
    role: 'viewer',
    response: [
      'HostSectionView',
      z.union([
        hostSectionContracts.pageHealing.response,
        hostSectionContracts.pageModules.response,
        hostSectionContracts.pageIncidents.response,
        hostSectionContracts.pageSnapshots.response,
        hostSectionContracts.pageThreats.response,
      ]),
    ],
  }),
];
