import { z } from 'zod';
import { snapshotNameSchema, snapshotTagSchema } from './snapshot-schema';
import { operatorReasonSchema } from '../audit/audit-payload';

/** Bodies of the operator API (web) and of the web → worker commands, shared by both sides. */
export const createSnapshotRequestSchema = z.object({
  name: snapshotNameSchema.optional(),
  tags: z.array(snapshotTagSchema).max(5).default(['manual']),
});

export const restoreRequestSchema = z.object({
  reason: operatorReasonSchema,
  mirror: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});

export const settleRestoreRequestSchema = z.object({
  action: z.enum(['resume', 'rollback']),
  reason: operatorReasonSchema,
});

export const pruneRequestSchema = z.object({ dryRun: z.boolean().default(false) });

export const diffQuerySchema = z.object({ against: snapshotNameSchema.optional() });

/** The worker side adds who asked: the web app has authenticated them. */
export const withActor = <T extends z.ZodRawShape>(schema: z.ZodObject<T>) => schema.extend({ actor: z.string().min(1).max(200) });
