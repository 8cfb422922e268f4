import { z } from 'zod';
import { offsiteNameSchema, readDataSubsetSchema } from '../config/offsite-config';
import { operatorReasonSchema } from '../audit/audit-payload';
import { snapshotNameSchema } from './snapshot-schema';

/** Bodies of the off-site operator API (web) and of the web → worker commands, shared by both sides. */
export const offsiteCopyRequestSchema = z.object({ ref: snapshotNameSchema, to: offsiteNameSchema });

export const offsiteRestoreRequestSchema = z.object({
  ref: snapshotNameSchema,
  reason: operatorReasonSchema,
  mirror: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});

export const offsiteCheckRequestSchema = z.object({ readDataSubset: readDataSubsetSchema.optional() });

export const offsiteForgetRequestSchema = z.object({ dryRun: z.boolean().default(true) });

export const offsiteRepoParamSchema = offsiteNameSchema;
