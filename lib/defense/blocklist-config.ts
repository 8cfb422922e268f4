import { z } from 'zod';

/**
 * One imported list of addresses: a file on this host or an HTTP(S) URL, read again every
 * `refreshMinutes`. Its entries are enforced until one refresh period plus a grace period
 * (`listGraceMs`) after the last successful read, so a source that stays broken stops blocking
 * eventually instead of enforcing a stale list forever.
 */
export const blocklistSourceSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'lowercase letters, digits, _ and -'),
    path: z
      .string()
      .max(4096)
      .refine((value) => value.startsWith('/'), 'must be an absolute path')
      .optional(),
    url: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .max(2048)
      .optional(),
    refreshMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(60),
  })
  .strict()
  .refine((list) => (list.path === undefined) !== (list.url === undefined), { message: 'give either `path` or `url`, not both' });
export type BlocklistSource = z.infer<typeof blocklistSourceSchema>;

export const blocklistsSchema = z
  .array(blocklistSourceSchema)
  .max(50)
  .default([])
  .refine((lists) => new Set(lists.map((list) => list.name)).size === lists.length, { message: 'each list needs a name of its own' })
  .describe(
    'IP lists imported as decisions of their own (`blocklist:<name>`): each `{ name, path | url, refreshMinutes }`; plain addresses, CIDR ranges (v4, v6) and FireHOL `.netset`, `#` and `;` comments; at most 1,000,000 entries and 64 MiB per list; see the README',
  );

/** Three missed refreshes, and never less than an hour: a source down for a while keeps its list. */
export function listGraceMs(refreshMinutes: number): number {
  return Math.max(3 * refreshMinutes, 60) * 60_000;
}
