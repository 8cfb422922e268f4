import { z } from 'zod';
import { operatorReasonSchema } from '../audit/audit-payload';

// Request bodies of the operator API for modules (app/api/modules/**); the browser's forms
// check the same rules before sending.

export const MODULE_CONTROL_ACTIONS = ['pause', 'resume', 'restart'] as const;
export type ModuleControlAction = (typeof MODULE_CONTROL_ACTIONS)[number];

export const moduleControlRequestSchema = z
  .object({
    action: z.enum(MODULE_CONTROL_ACTIONS),
    reason: operatorReasonSchema,
  })
  .strict();
export type ModuleControlRequest = z.infer<typeof moduleControlRequestSchema>;

export const approvalRequestSchema = z.object({ approve: z.boolean() }).strict();

/** Incident ids are the engine's UUIDs; anything else never reaches the worker. */
export const incidentIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not an incident id');
