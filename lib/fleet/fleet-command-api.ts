import { z } from 'zod';
import { fleetActionRequestSchema, fleetCommandProgressSchema, FLEET_RESULT_STATUSES } from './fleet-actions';
import { hostLabelsSchema } from './fleet-api';

/** One host, chosen hosts, every host carrying all these labels, or the whole fleet. */
export const fleetTargetSchema = z.union([
  z.object({ hostId: z.number().int().positive() }).strict(),
  z
    .object({
      hostIds: z
        .array(z.number().int().positive())
        .min(1, 'choose at least one host')
        .max(1000)
        .refine((ids) => new Set(ids).size === ids.length, 'each host once'),
    })
    .strict(),
  z.object({ labels: hostLabelsSchema.refine((labels) => Object.keys(labels).length > 0, 'name at least one label') }).strict(),
  z.object({ fleet: z.literal(true) }).strict(),
]);
export type FleetTarget = z.infer<typeof fleetTargetSchema>;

export const fleetCommandRequestSchema = z.object({ target: fleetTargetSchema, action: fleetActionRequestSchema }).strict();
export type FleetCommandRequest = z.infer<typeof fleetCommandRequestSchema>;

/** Where a command stands on one host: not delivered yet, delivered, then the agent's own answers. */
export const FLEET_HOST_STATUSES = ['pending', 'sent', ...FLEET_RESULT_STATUSES] as const;
export type FleetHostStatus = (typeof FLEET_HOST_STATUSES)[number];
export { FINAL_FLEET_STATUSES } from './fleet-kinds';

export const fleetCommandIssuedSchema = z.object({
  id: z.string(),
  expiresAt: z.string(),
  hosts: z.array(z.object({ id: z.number(), name: z.string(), status: z.enum(FLEET_HOST_STATUSES) })),
});
export type FleetCommandIssued = z.infer<typeof fleetCommandIssuedSchema>;

export const fleetCommandHostViewSchema = z.object({
  hostId: z.number(),
  name: z.string(),
  status: z.enum(FLEET_HOST_STATUSES),
  message: z.string().nullable(),
  progress: fleetCommandProgressSchema.nullable(),
  updatedAt: z.string(),
});
export type FleetCommandHostView = z.infer<typeof fleetCommandHostViewSchema>;

export const fleetCommandViewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  action: z.record(z.string(), z.unknown()),
  target: z.record(z.string(), z.unknown()),
  actor: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  hosts: z.array(fleetCommandHostViewSchema),
});
export type FleetCommandView = z.infer<typeof fleetCommandViewSchema>;

/** How many commands the history lists: a night's worth for an operator, small enough to read at once. */
export const RECENT_FLEET_COMMANDS = 50;

export const fleetCommandIdParamSchema = z.string().uuid('a command id is a UUID');

/** The live feed's `fleet:command` payload: one host's step of one command, as it is recorded. */
export interface FleetCommandUpdate {
  commandId: string;
  kind: string;
  hostId: number;
  status: FleetHostStatus;
  message: string | null;
  progress: z.infer<typeof fleetCommandProgressSchema> | null;
  at: string;
}
