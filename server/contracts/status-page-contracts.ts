import { z } from 'zod';
import { createStatusPostSchema, statusPageSchema, statusPostUpdateSchema } from '@/lib/status-pages/status-page-schema';
import type { PublicPost, PublicStatusPage } from '@/lib/status-pages/status-view';
import { defineRoute } from './route-contract';
import { isoTime, okSchema, record, view } from './wire';

const actor = z.string().min(1).max(200);
const postSchema = record<PublicPost>({ id: z.string(), title: z.string() });
const postsSchema = z.object({ active: z.array(postSchema), upcoming: z.array(postSchema), past: z.array(postSchema) });

const publicViewSchema = view<PublicStatusPage>({
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  logo: z.string().nullable(),
  overall: z.string(),
  modules: z.array(z.looseObject({ label: z.string(), state: z.string() })),
  active: z.array(postSchema),
  upcoming: z.array(postSchema),
  past: z.array(postSchema),
  generatedAt: isoTime,
});

const listingSchema = z.object({ page: statusPageSchema, source: z.enum(['config', 'console']) });

/**
 * Status pages: the web app serves the public page (one call, cached in the worker) and the
 * console manages pages and posts through the rest, naming the operator as `actor`.
 */
export const statusPageContracts = {
  publicView: defineRoute({
    method: 'GET',
    path: '/internal/v1/status-pages/:slug/public',
    auth: 'internal',
    tag: 'Internal',
    summary: 'What a status page publishes',
    response: publicViewSchema,
  }),
  domains: defineRoute({
    method: 'GET',
    path: '/internal/v1/status-domains',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Custom domains of status pages, host name to slug',
    response: z.object({ domains: z.record(z.string(), z.string()) }),
  }),
  list: defineRoute({
    method: 'GET',
    path: '/internal/v1/status-pages',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Status pages from the config file and the console',
    response: z.object({ pages: z.array(listingSchema) }),
  }),
  save: defineRoute({
    method: 'POST',
    path: '/internal/v1/status-pages',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Create or replace a console status page',
    body: z.object({ actor, page: statusPageSchema }),
    response: z.object({ page: statusPageSchema }),
  }),
  remove: defineRoute({
    method: 'POST',
    path: '/internal/v1/status-pages/:slug/remove',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Remove a console status page',
    body: z.object({ actor }),
    response: okSchema,
  }),
  posts: defineRoute({
    method: 'GET',
    path: '/internal/v1/status-pages/:slug/posts',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Incident and maintenance posts of a status page',
    response: postsSchema,
  }),
  createPost: defineRoute({
    method: 'POST',
    path: '/internal/v1/status-pages/:slug/posts',
    auth: 'internal',
    status: 201,
    tag: 'Internal',
    summary: 'Post an incident or schedule a maintenance',
    body: z.object({ actor, post: createStatusPostSchema }),
    response: z.object({ id: z.string() }),
  }),
  updatePost: defineRoute({
    method: 'POST',
    path: '/internal/v1/status-pages/:slug/posts/:id/updates',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Add an update to a post',
    body: z.object({ actor, update: statusPostUpdateSchema }),
    response: okSchema,
  }),
  removePost: defineRoute({
    method: 'POST',
    path: '/internal/v1/status-pages/:slug/posts/:id/remove',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Remove a post',
    body: z.object({ actor }),
    response: okSchema,
  }),
};
