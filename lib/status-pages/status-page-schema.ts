import { z } from 'zod';
import { moduleNameSchema } from '../healing/module-schema';

/** The path segment of `/status/<slug>`: lowercase, so one page has one address. */
export const statusSlugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and - (up to 63), starting with a letter or digit');

/** Text shown to the public: one line, no control characters (they would pass into the page and the audit chain). */
const publicText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must be one line of text');

/**
 * A module on a page: its name alone publishes that name; `{ module, label }` publishes the
 * label only, so an internal name never reaches the public unless the operator wrote it.
 */
export const statusModuleEntrySchema = z.union([moduleNameSchema, z.object({ module: moduleNameSchema, label: publicText(80) }).strict()]);
export type StatusModuleEntry = z.infer<typeof statusModuleEntrySchema>;

const LOGO_DATA_MAX_CHARS = 96_000;
/** Raster images only: an SVG can carry script, and a data URL is served inline from the page. */
const LOGO_DATA = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+={0,2}$/;
// The first bytes each format starts with, as latin1 text (atob's output; the browser has no Buffer).
const MAGIC: Record<string, (head: string) => boolean> = {
  png: (head) => head.startsWith('\x89PNG\r\n\x1a\n'),
  jpeg: (head) => head.startsWith('\xff\xd8\xff'),
  webp: (head) => head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP',
  gif: (head) => head.startsWith('GIF8'),
};

/** Whether an uploaded logo is the image its data URL says it is (not HTML or script in disguise). */
export function isRasterLogo(dataUrl: string): boolean {
  const match = LOGO_DATA.exec(dataUrl);
  if (!match) return false;
  const head = atob(dataUrl.slice(dataUrl.indexOf(',') + 1, dataUrl.indexOf(',') + 25));
  return head.length > 12 && MAGIC[match[1]](head);
}

/** A logo is an https address or an uploaded raster image; nothing else is ever put in the page. */
export const statusLogoSchema = z.union([
  z
    .url({ protocol: /^https$/, message: 'must be an https URL or an uploaded image' })
    .max(2000)
    .refine((url) => !/["'<>\s\\]/.test(url), 'must not contain quotes, brackets or spaces'),
  z.string().max(LOGO_DATA_MAX_CHARS, 'an uploaded logo must be under 70 KB').refine(isRasterLogo, 'must be a PNG, JPEG, WebP or GIF image'),
]);

/** A host name a page answers on at `/`, e.g. status.example.com (the Host header, lowercased, no port). */
export const statusDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/, 'must be a host name such as status.example.com');

/** One status page, as the config file's `statusPages` entries and the console both declare it. */
export const statusPageSchema = z
  .object({
    slug: statusSlugSchema.describe('the page is served at /status/<slug>'),
    title: publicText(120),
    description: publicText(500).optional(),
    modules: z.array(statusModuleEntrySchema).min(1).max(100).describe('module names, or { module, label } to publish a label instead of the name'),
    logo: statusLogoSchema.optional().describe('an https image address, or an uploaded PNG/JPEG/WebP/GIF as a data: URL'),
    domain: statusDomainSchema.optional().describe('a host name whose / shows this page (e.g. status.example.com)'),
  })
  .strict()
  .superRefine((page, ctx) => {
    const names = page.modules.map(moduleOf);
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) ctx.addIssue({ code: 'custom', path: ['modules', index], message: `module ${name} is listed twice` });
    });
  });
export type StatusPageDefinition = z.infer<typeof statusPageSchema>;

export const moduleOf = (entry: StatusModuleEntry) => (typeof entry === 'string' ? entry : entry.module);
export const labelOf = (entry: StatusModuleEntry) => (typeof entry === 'string' ? entry : entry.label);

export const STATUS_POST_KINDS = ['incident', 'maintenance'] as const;
export const STATUS_IMPACTS = ['none', 'minor', 'major', 'maintenance'] as const;
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'completed'] as const;
export const statusUpdateStatusSchema = z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]);
export type StatusUpdateStatus = z.infer<typeof statusUpdateStatusSchema>;
/** The statuses that close a post: it leaves the active list and shows under past notices. */
export const CLOSING_STATUSES: readonly StatusUpdateStatus[] = ['resolved', 'completed'];

const message = z.string().trim().min(1).max(4000);

/** A new incident or maintenance post, with its first update. */
export const createStatusPostSchema = z
  .object({
    kind: z.enum(STATUS_POST_KINDS),
    title: publicText(200),
    impact: z.enum(STATUS_IMPACTS).default('minor'),
    message,
    /** When it started (incident) or is planned to start (maintenance); now if absent. */
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .superRefine((post, ctx) => {
    if (post.kind === 'maintenance' && !post.endsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'a maintenance needs an end time' });
    if (post.startsAt && post.endsAt && Date.parse(post.endsAt) <= Date.parse(post.startsAt))
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  });
export type CreateStatusPost = z.infer<typeof createStatusPostSchema>;

export const statusPostUpdateSchema = z.object({ status: statusUpdateStatusSchema, message }).strict();
export type StatusPostUpdateInput = z.infer<typeof statusPostUpdateSchema>;

export const statusPostIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'not a post id');
