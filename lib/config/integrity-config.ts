import { z } from 'zod';
import { refusePath, treeRootProblem } from './path-rules';

export const integrityPathSchema = z
  .object({
    /** A file or directory; may end in a glob (`/etc/nginx/**\/*.conf`). */
    path: z.string().min(1).superRefine(refusePath(treeRootProblem)),
    exclude: z.array(z.string().min(1)).default([]),
    /** Tampering here is critical: the defense module may go to LOCKDOWN. */
    critical: z.boolean().default(false),
  })
  .strict();
export type IntegrityPathConfig = z.infer<typeof integrityPathSchema>;

export const integrityConfigSchema = z
  .object({
    paths: z.array(integrityPathSchema).max(500).default([]),
    /** Vigil's own code and configuration file, watched unless turned off here. */
    self: z
      .object({ enabled: z.boolean().default(true), critical: z.boolean().default(false) })
      .strict()
      .default({ enabled: true, critical: false }),
    /** Full re-hash of everything; the realtime watch covers the time between. */
    scanIntervalMinutes: z
      .number()
      .positive()
      .max(7 * 24 * 60)
      .default(60),
    realtime: z.boolean().default(true),
    /** Changes are collected this long after the last event, so one save is one check. */
    debounceMs: z.number().int().min(10).max(60_000).default(500),
  })
  .strict();
export type IntegrityConfig = z.infer<typeof integrityConfigSchema>;
