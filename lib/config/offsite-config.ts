import { z } from 'zod';

/** restic's own retention options (`restic forget --keep-…`), by their restic names. */
export const offsiteKeepSchema = z
  .object({
    last: z.number().int().min(1).optional(),
    hourly: z.number().int().min(1).optional(),
    daily: z.number().int().min(1).optional(),
    weekly: z.number().int().min(1).optional(),
    monthly: z.number().int().min(1).optional(),
    yearly: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((keep) => Object.keys(keep).length > 0, 'name at least one of last, hourly, daily, weekly, monthly, yearly');

export const readDataSubsetSchema = z
  .string()
  .regex(/^(100|[1-9]?\d(\.\d+)?)%$|^[1-9]\d*\/[1-9]\d*$/, 'must be a percentage such as "5%" or a fraction such as "1/10"');

export const offsiteScheduleSchema = z
  .object({
    /** Every snapshot not yet in this repository is copied this often (golden ones are copied at once). */
    copyEveryHours: z
      .number()
      .positive()
      .max(24 * 30)
      .optional(),
    /** `restic check` plus a restore test of the newest copy into a scratch directory. */
    checkEveryHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    /** What `restic check --read-data-subset` reads each time: a percentage ("5%") or "n/t". */
    readDataSubset: readDataSubsetSchema.default('5%'),
  })
  .strict();

export const offsiteNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'must be 1-40 letters, digits, - or _, starting with a letter or digit');

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/**
 * One restic repository, written as restic writes it (`/srv/restic`, `sftp:user@host:/path`,
 * `s3:…`). The password comes from a file or an environment variable, never from this file.
 */
export const offsiteRepositorySchema = z
  .object({
    name: offsiteNameSchema,
    repository: z
      .string()
      .min(1)
      .max(1000)
      .regex(/^[^\s-][^\n\r]*$/, 'must be a restic repository such as /srv/restic or sftp:user@host:/path'),
    passwordFile: z.string().startsWith('/', 'must be an absolute path').optional(),
    passwordEnv: envName.optional(),
    /** restic extended options (`-o key=value`), e.g. `sftp.command` or `s3.region`. */
    options: z.record(z.string().regex(/^[a-z0-9]+\.[a-z0-9.-]+$/, 'must be a restic option such as sftp.command'), z.string().max(2000)).default({}),
    schedule: offsiteScheduleSchema.default({ checkEveryHours: 24, readDataSubset: '5%' }),
    keep: offsiteKeepSchema.optional(),
  })
  .strict()
  .refine((repo) => (repo.passwordFile === undefined) !== (repo.passwordEnv === undefined), {
    message: 'give exactly one of passwordFile or passwordEnv',
    path: ['passwordFile'],
  });
export type OffsiteRepositoryConfig = z.infer<typeof offsiteRepositorySchema>;

export const offsiteListSchema = z
  .array(offsiteRepositorySchema)
  .max(20)
  .default([])
  .refine((repos) => new Set(repos.map((r) => r.name)).size === repos.length, 'each off-site repository needs its own name');
