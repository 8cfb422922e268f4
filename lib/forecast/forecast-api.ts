import { z } from 'zod';
import { MITIGATION_ACTIONS } from './risk';

/** Body of "apply this mitigation" from the web app (the worker adds who asked). */
export const applyMitigationRequestSchema = z.object({
  subsystem: z.string().min(1).max(300),
  action: z.enum(MITIGATION_ACTIONS),
  reason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(500),
});

export const decideSuggestionRequestSchema = z.object({ decision: z.enum(['applied', 'dismissed']) });

export const suggestionIdSchema = z.string().min(1).max(400);
