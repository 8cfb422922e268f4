import { fleetCommandIssuedSchema, fleetCommandRequestSchema, fleetCommandViewSchema } from '@/lib/fleet/fleet-command-api';
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
    path: '/api/fleet/commands/{id}',
    tag: 'Fleet',
    summary: 'A fleet command and where it stands on each host',
    role: 'viewer',
    response: ['FleetCommandView', fleetCommandViewSchema],
  }),
];
