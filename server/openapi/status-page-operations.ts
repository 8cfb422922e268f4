import { createStatusPostSchema, statusPageSchema, statusPostUpdateSchema } from '@/lib/status-pages/status-page-schema';
import { type OperationSpec, webOperation } from './operation-spec';

const web = webOperation;

/** The console's management of status pages (the public pages themselves are HTML, not API). */
export const STATUS_PAGE_OPERATIONS: OperationSpec[] = [
  web({ method: 'get', path: '/api/status-pages', tag: 'Status pages', summary: 'Status pages from the config file and the console', role: 'operator' }),
  web({
    method: 'post',
    path: '/api/status-pages',
    tag: 'Status pages',
    summary: 'Create or replace a console status page',
    role: 'admin',
    body: ['StatusPageRequest', statusPageSchema],
  }),
  web({ method: 'delete', path: '/api/status-pages/{slug}', tag: 'Status pages', summary: 'Remove a console status page', role: 'admin' }),
  web({ method: 'get', path: '/api/status-pages/{slug}/posts', tag: 'Status pages', summary: 'Incident and maintenance posts of a page', role: 'operator' }),
  web({
    method: 'post',
    path: '/api/status-pages/{slug}/posts',
    tag: 'Status pages',
    summary: 'Post an incident or schedule a maintenance',
    role: 'operator',
    body: ['StatusPostRequest', createStatusPostSchema],
    success: { status: '201', description: 'The post created' },
  }),
  web({ method: 'delete', path: '/api/status-pages/{slug}/posts/{id}', tag: 'Status pages', summary: 'Remove a post', role: 'operator' }),
  web({
    method: 'post',
    path: '/api/status-pages/{slug}/posts/{id}/updates',
    tag: 'Status pages',
    summary: 'Add an update to a post',
    role: 'operator',
    body: ['StatusPostUpdateRequest', statusPostUpdateSchema],
  }),
];
