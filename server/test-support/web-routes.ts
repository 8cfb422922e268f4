import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NextRequest } from 'next/server';
import { vi } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import { generateApiToken } from '../auth/api-tokens';
import type { TestWorker } from './test-worker';
import { TEST_SECRET } from './worker-env';

/**
 * Lets a test call app/api route handlers as Next.js does, against a real worker: the web
 * context is pointed at it, and each role gets an API token named after it (so the audit
 * trail names the caller `token:<role>`). Tokens mean no cookie, so no session or CSRF step.
 */
export async function connectWebRoutes(t: TestWorker, roles: readonly Role[]): Promise<Record<Role, string>> {
  vi.stubEnv('VIGIL_DATA_DIR', t.env.dataDir);
  vi.stubEnv('DATABASE_URL', t.db.url);
  vi.stubEnv('VIGIL_SECRET', TEST_SECRET);
  vi.stubEnv('VIGIL_WORKER_URL', `http://127.0.0.1:${t.port}`);
  vi.stubEnv('LOG_LEVEL', 'silent');
  const tokens: Record<Role, string> = { viewer: '', operator: '', admin: '' };
  for (const role of roles) {
    const generated = generateApiToken();
    tokens[role] = generated.token;
    await t.worker.database.prisma.apiToken.create({ data: { id: randomUUID(), name: role, prefix: generated.prefix, tokenHash: generated.tokenHash, role } });
  }
  return tokens;
}

/** Closes the web context's database and forgets it, so the next test file starts afresh. */
export async function disconnectWebRoutes(): Promise<void> {
  vi.unstubAllEnvs();
  const holder = globalThis as unknown as { vigilWebContext?: Promise<{ database: { close(): Promise<void> } }>; vigilWebEnv?: unknown };
  await (await holder.vigilWebContext)?.database.close();
  holder.vigilWebContext = undefined;
  holder.vigilWebEnv = undefined;
}

/** A request as a route handler receives it; a `json` body makes it a POST unless `method` says otherwise. */
export function routeRequest(path: string, init: { method?: string; token?: string; json?: unknown } = {}): NextRequest {
  return new NextRequest(`http://localhost${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
}

/** The second argument of a route handler. */
export const routeParams = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

export interface WebRouteFile {
  /** e.g. app/api/modules/[name]/route.ts */
  file: string;
  /** The URL path as OpenAPI writes it: `/api/modules/{name}`. */
  template: string;
  /** The URL path with a sample value in each dynamic segment, and those values. */
  path: string;
  params: Record<string, string>;
  /** Every exported handler, by method. */
  handlers: Partial<Record<RouteMethod, unknown>>;
}

const APP_API = fileURLToPath(new URL('../../app/api', import.meta.url));

/** Every app/api/**\/route.ts on disk, imported: a route added tomorrow is in the list. */
export async function discoverWebRoutes(sample = (param: string) => (param === 'id' ? 'probe-id' : 'probe')): Promise<WebRouteFile[]> {
  const files = readdirSync(APP_API, { recursive: true, encoding: 'utf8' })
    .filter((file) => file === 'route.ts' || file.endsWith(`${sep}route.ts`))
    .sort();
  return Promise.all(
    files.map(async (relative) => {
      const params: Record<string, string> = {};
      const segments = dirname(relative) === '.' ? [] : dirname(relative).split(sep);
      const path =
        `/api/${segments.map((segment) => (/^\[(\w+)\]$/.test(segment) ? (params[segment.slice(1, -1)] = sample(segment.slice(1, -1))) : segment)).join('/')}`.replace(
          /\/$/,
          '',
        );
      const loaded = (await import(join(APP_API, relative))) as Record<string, unknown>;
      const handlers = Object.fromEntries(ROUTE_METHODS.filter((method) => method in loaded).map((method) => [method, loaded[method]]));
      const template = `/api/${segments.map((segment) => segment.replace(/^\[(\w+)\]$/, '{$1}')).join('/')}`.replace(/\/$/, '');
      return { file: `app/api/${relative.split(sep).join('/')}`, template, path, params, handlers };
    }),
  );
}
