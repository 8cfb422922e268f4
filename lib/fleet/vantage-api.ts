import { z } from 'zod';
import { FINDING_KINDS } from '../healing/diagnosis';
import { httpModuleSchema, keywordModuleSchema, tcpModuleSchema } from '../healing/module-schema';

/** Socket events of probes run from agents for the console. */
export const VANTAGE_EVENTS = {
  /** console → agent: every module this agent probes, the whole list each time, signed by the console. */
  assign: 'fleet:vantage-assign',
  /** agent → console: one probe's answer, signed by the agent. */
  result: 'fleet:vantage-result',
} as const;

/** What a vantage point probes: the module as the console runs it, without its own vantage. */
export const vantageModuleSchema = z.discriminatedUnion('kind', [
  httpModuleSchema.omit({ vantage: true }),
  keywordModuleSchema.omit({ vantage: true }),
  tcpModuleSchema.omit({ vantage: true }),
]);
export type VantageModule = z.infer<typeof vantageModuleSchema>;

export const vantageAssignmentSchema = z
  .object({
    hostId: z.number().int().positive(),
    /** Increasing (the console's clock in ms): an older assignment replayed later is refused. */
    version: z.number().int().positive(),
    modules: z.array(vantageModuleSchema).max(500),
  })
  .strict();
export type VantageAssignment = z.infer<typeof vantageAssignmentSchema>;

/** A signature is checked over what was sent, before any default is filled in: the envelopes keep every field as it came. */
const signedPart = z.record(z.string(), z.unknown());
export const signedAssignmentSchema = z.object({ assignment: signedPart, signature: z.string().max(200) });
export const signedVantageResultSchema = z.object({ result: signedPart, signature: z.string().max(200) });

export const vantageResultSchema = z
  .object({
    hostId: z.number().int().positive(),
    module: z.string().min(1).max(63),
    /** The agent's clock, ms: a result older than one already counted is a replay. */
    at: z.number().int().positive(),
    status: z.enum(['up', 'down', 'inconclusive']),
    latencyMs: z.number().min(0).max(3_600_000).nullable(),
    error: z.string().max(500).nullable(),
    kind: z.enum(FINDING_KINDS).nullable(),
  })
  .strict();
export type VantageResult = z.infer<typeof vantageResultSchema>;
