import { z } from 'zod';
import { signalKindSchema } from '../defense/signals';
import { logFileProblem, refusePath } from './path-rules';
import { hasNestedUnboundedRepeat } from './regex-safety';

/** The groups a custom pattern may capture; `source` (an IP address) is the one it must. */
export const LOG_PATTERN_GROUPS = ['source', 'user', 'path', 'status'] as const;

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const logPatternSchema = z
  .object({
    kind: signalKindSchema,
    regex: z
      .string()
      .min(1)
      .max(2000)
      .refine(compiles, 'is not a valid regular expression')
      .refine(
        (source) => !hasNestedUnboundedRepeat(source),
        'repeats a group that itself repeats without bound, as in (a+)+: one crafted line could stall the reader',
      )
      .refine((source) => source.includes('(?<source>'), 'must capture the client address as (?<source>…)'),
  })
  .strict();
export type LogPattern = z.infer<typeof logPatternSchema>;

/** Presets follow fail2ban's filters: `combined` is the nginx and Apache default access log. */
export const LOG_FORMATS = ['combined', 'nginx', 'apache', 'sshd', 'custom'] as const;

export const logFileSchema = z
  .object({
    path: z.string().min(1).superRefine(refusePath(logFileProblem)),
    format: z.enum(LOG_FORMATS),
    /** Required for `custom`; added to the preset's own patterns otherwise. */
    patterns: z.array(logPatternSchema).max(50).default([]),
    /** Read what the file already holds at start instead of only what is appended. */
    fromStart: z.boolean().default(false),
  })
  .strict()
  .refine((file) => file.format !== 'custom' || file.patterns.length > 0, { message: 'a custom format needs at least one pattern', path: ['patterns'] });
export type LogFileConfig = z.infer<typeof logFileSchema>;

export const logsConfigSchema = z
  .object({
    files: z.array(logFileSchema).max(200).default([]),
    /** The stat poll that backs up fs.watch (network file systems, missed events, waiting for a file). */
    pollIntervalMs: z.number().int().min(20).max(60_000).default(250),
    /** Longer lines are dropped: one line never holds more memory than this. */
    maxLineBytes: z
      .number()
      .int()
      .min(256)
      .max(1 << 20)
      .default(16_384),
  })
  .strict();
export type LogsConfig = z.infer<typeof logsConfigSchema>;
