import { z } from 'zod';
import { alertRuleSchema } from './alert-rules';

/** Who the web app says is acting; the worker writes it into the audit event. */
export const actorNameSchema = z.string().min(1).max(200);

/** The console's request bodies (the web app adds the actor before relaying them). */
export const removeRuleRequestSchema = z.object({ name: z.string().min(1).max(63) }).strict();
export const saveRuleRequestSchema = alertRuleSchema;
