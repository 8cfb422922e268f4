import { z } from 'zod';

const UNITS: Record<string, number> = { b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 };
const SIZE = /^(\d+(?:\.\d+)?) ?(b|kb?|mb?|gb?)$/i;

/** The kernel refuses a memory limit below a few pages; anything under 4 MiB would kill a program before it ran. */
const MIN_MEMORY = 4 * 1024 ** 2;

/** "512MB", "1.5 GB" or a number of bytes, to bytes. */
export const memorySizeSchema = z.union([z.number().int(), z.string()]).transform((value, ctx) => {
  const bytes = typeof value === 'number' ? value : sizeInBytes(value);
  if (bytes === null) {
    ctx.addIssue({ code: 'custom', message: 'a size such as 512MB, 2GB or a number of bytes' });
    return z.NEVER;
  }
  if (bytes < MIN_MEMORY || bytes > 2 ** 50) {
    ctx.addIssue({ code: 'custom', message: 'between 4MB and 1PB' });
    return z.NEVER;
  }
  return bytes;
});

function sizeInBytes(text: string): number | null {
  const match = SIZE.exec(text.trim());
  return match ? Math.floor(Number(match[1]) * UNITS[match[2].toLowerCase()]) : null;
}

/**
 * Hard limits the kernel enforces on a supervised process and everything it starts, through
 * its control group: memory (the OOM killer ends it at the limit), CPU in cores (throttled, not
 * killed), and the number of tasks (a fork bomb stops there).
 */
export const processLimitsSchema = z
  .object({
    memory: memorySizeSchema.optional(),
    cpu: z.number().min(0.01, 'at least 0.01 of a core').max(1024).optional(),
    tasks: z.number().int().min(1).max(4_194_304).optional(),
  })
  .strict()
  .refine((limits) => limits.memory !== undefined || limits.cpu !== undefined || limits.tasks !== undefined, {
    message: 'give memory, cpu or tasks',
  });
export type ProcessLimits = z.infer<typeof processLimitsSchema>;
