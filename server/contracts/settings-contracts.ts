import { z } from 'zod';
import { saveSectionRequestSchema, sectionViewSchema } from '@/lib/settings/editable-sections';
import { defineRoute } from './route-contract';

const actor = z.string().min(1).max(200);

/**
 * Config sections set in the console, and the channel test. The web app answers the operator and
 * names them as `actor`; secrets in what comes back are masked (lib/settings/secret-mask.ts).
 */
export const settingsContracts = {
  list: defineRoute({
    method: 'GET',
    path: '/internal/v1/settings',
    auth: 'internal',
    tag: 'Internal',
    summary: "Editable config sections: what is in force, the file's version, and where each comes from",
    response: z.object({ sections: z.array(sectionViewSchema) }),
  }),
  save: defineRoute({
    method: 'POST',
    path: '/internal/v1/settings/:section',
    auth: 'internal',
    tag: 'Internal',
    summary: "Set a config section in the console, in place of the file's",
    body: saveSectionRequestSchema.extend({ actor }),
    response: sectionViewSchema,
  }),
  revert: defineRoute({
    method: 'POST',
    path: '/internal/v1/settings/:section/revert',
    auth: 'internal',
    tag: 'Internal',
    summary: "Remove the console's version of a config section; the file's applies again",
    body: z.object({ actor }),
    response: sectionViewSchema,
  }),
  testChannel: defineRoute({
    method: 'POST',
    path: '/internal/v1/notifications/channels/:name/test',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Send a test notification through a channel in force',
    body: z.object({ actor }),
    response: z.object({ code: z.enum(['sent', 'failed', 'not_found']), attempts: z.number().int(), error: z.string().nullable() }),
  }),
};
