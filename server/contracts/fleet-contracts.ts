import { z } from 'zod';
import { agentEnrolledSchema, agentEnrollmentSchema, createEnrollmentSchema, enrollmentTokenAnswerSchema, hostViewSchema } from '@/lib/fleet/fleet-api';
import { defineRoute } from './route-contract';

/** The fleet: enrollment of agents, the hosts they became, and revoking one. */
export const fleetContracts = {
  createEnrollment: defineRoute({
    method: 'POST',
    path: '/api/v1/fleet/enrollments',
    auth: 'fleet:write',
    status: 201,
    tag: 'Fleet',
    summary: 'Create an enrollment token for agents',
    description: 'The token is shown once; only its hash is kept. Agents enrolled with it get its labels.',
    body: createEnrollmentSchema,
    response: enrollmentTokenAnswerSchema,
  }),
  // Public: the enrollment token in the body is the credential, and one answer covers every refusal.
  enrollAgent: defineRoute({
    method: 'POST',
    path: '/api/v1/fleet/agents',
    auth: 'public',
    status: 201,
    tag: 'Fleet',
    summary: 'Enroll an agent: trade an enrollment token and a public key for a host id',
    body: agentEnrollmentSchema,
    response: agentEnrolledSchema,
  }),
  hosts: defineRoute({
    method: 'GET',
    path: '/api/v1/hosts',
    auth: 'fleet:read',
    tag: 'Fleet',
    summary: 'Every host of the fleet, with its connection and health',
    response: z.array(hostViewSchema),
  }),
  revokeHost: defineRoute({
    method: 'POST',
    path: '/api/v1/hosts/:id/revoke',
    auth: 'fleet:write',
    tag: 'Fleet',
    summary: 'Revoke a host: disconnect it now and refuse it afterwards',
    response: z.object({ revoked: z.number() }),
  }),
};
