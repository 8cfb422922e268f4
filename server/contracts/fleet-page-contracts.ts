import { z } from 'zod';
import { hostViewSchema } from '@/lib/fleet/fleet-api';
import { defineRoute } from './route-contract';

/** What the console's fleet page asks the worker: the same hosts as the machine API, and a revocation in an operator's name. */
export const fleetPageContracts = {
  hosts: defineRoute({
    method: 'GET',
    path: '/internal/v1/fleet/hosts',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Every host of the fleet with its last heartbeat, for the fleet page',
    response: z.array(hostViewSchema),
  }),
  revokeHost: defineRoute({
    method: 'POST',
    path: '/internal/v1/fleet/hosts/:id/revoke',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Revoke a host for an administrator of the console',
    body: z.object({ actor: z.string().min(1).max(200) }).strict(),
    response: z.object({ revoked: z.number() }),
  }),
};
