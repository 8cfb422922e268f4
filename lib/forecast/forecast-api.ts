import { z } from 'zod';
import { MITIGATION_ACTIONS } from './risk';
import { operatorReasonSchema } from '../audit/audit-payload';

/** Body of "apply this mitigation" from the web app (the worker adds who asked). */
export const applyMitigationRequestSchema = z.object({
  subsystem: z.string().min(1).max(300),
  action: z.enum(MITIGATION_ACTIONS),
  reason: operatorReasonSchema,
});

export const decideSuggestionRequestSchema = z.object({ decision: z.enum(['applied', 'dismissed']) });

export const suggestionIdSchema = z.string().min(1).max(400);
