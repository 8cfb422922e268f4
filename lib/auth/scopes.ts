import { z } from 'zod';
import { roleAtLeast, roleSchema, type Role } from './roles';

/**
 * What an API token may call on the worker's machine API, on top of its role. A token with no
 * scopes keeps the full access of its role (tokens from before scopes existed, and the one
 * VIGIL_API_TOKEN provisions). A scoped token is for the machine API only: the web app's
 * operator API has no scopes to check, so it refuses such tokens rather than ignore them.
 * Writing does not imply reading, so a bouncer or an event shipper gets exactly one verb.
 */
export const SCOPES = [
  'health:read',
  'events:write',
  'alerts:write',
  'modules:read',
  'modules:write',
  'threats:read',
  'isolations:read',
  'isolations:write',
  'audit:read',
  'forecast:read',
  'fleet:read',
  'fleet:write',
  'commands:write',
] as const;
export type Scope = (typeof SCOPES)[number];

interface ScopeDefinition {
  /** The least role the endpoints behind this scope need: a scope never widens a role. */
  role: Role;
  group: string;
  grants: string;
}

export const SCOPE_DEFINITIONS: Record<Scope, ScopeDefinition> = {
  'health:read': { role: 'viewer', group: 'Health', grants: 'GET /api/v1/health, /api/v1/features, /api/v1/cluster' },
  'events:write': { role: 'operator', group: 'Ingest', grants: 'POST /api/v1/events' },
  'alerts:write': { role: 'operator', group: 'Ingest', grants: 'POST /api/v1/alertmanager' },
  'modules:read': { role: 'viewer', group: 'Modules', grants: 'GET /api/v1/modules, /api/v1/incidents, /api/v1/hosts/:id/{healing,modules,incidents}' },
  'modules:write': { role: 'operator', group: 'Modules', grants: 'POST and DELETE /api/v1/modules' },
  'threats:read': { role: 'viewer', group: 'Defense', grants: 'GET /api/v1/threats, /api/v1/hosts/:id/threats' },
  'isolations:read': { role: 'viewer', group: 'Defense', grants: 'GET /api/v1/isolations, /api/v1/decisions/stream' },
  'isolations:write': { role: 'operator', group: 'Defense', grants: 'POST and DELETE /api/v1/isolations' },
  'audit:read': { role: 'viewer', group: 'Audit', grants: 'GET /api/v1/audit' },
  'forecast:read': { role: 'viewer', group: 'Forecast', grants: 'GET /api/v1/risk, /api/v1/predictions' },
  'fleet:read': {
    role: 'viewer',
    group: 'Fleet',
    grants: 'GET /api/v1/hosts, /api/v1/hosts/:id/snapshots, /api/v1/fleet/commands, /api/v1/fleet/commands/:id, /api/v1/fleet/config/**',
  },
  // Enrolling a host hands it the fleet's commands; revoking one cuts it off: both are an admin's.
  'fleet:write': {
    role: 'admin',
    group: 'Fleet',
    grants: 'POST /api/v1/fleet/enrollments, POST /api/v1/hosts/:id/revoke, POST /api/v1/fleet/config/assignments (and rollback)',
  },
  // An operator acts on hosts as on its own; a restore among the commands still needs an admin (checked per command).
  'commands:write': { role: 'operator', group: 'Fleet', grants: 'POST /api/v1/fleet/commands' },
};

/** Scopes by group, in the order of SCOPES, for pickers and documentation. */
export const SCOPE_GROUPS: Array<{ group: string; scopes: Scope[] }> = [...new Set(SCOPES.map((scope) => SCOPE_DEFINITIONS[scope].group))].map((group) => ({
  group,
  scopes: SCOPES.filter((scope) => SCOPE_DEFINITIONS[scope].group === group),
}));

export const scopeSchema = z.enum(SCOPES, { error: (issue) => `unknown scope ${JSON.stringify(issue.input)}; known scopes: ${SCOPES.join(', ')}` });

/** Each scope once, in the order of SCOPES, so equal sets store and compare equal. */
export function normalizeScopes(scopes: readonly Scope[]): Scope[] {
  const wanted = new Set(scopes);
  return SCOPES.filter((scope) => wanted.has(scope));
}

/** An empty list means the full access of the role. */
export const tokenScopesSchema = z.array(scopeSchema).max(SCOPES.length);

export const createApiTokenSchema = z
  .object({
    name: z.string().trim().min(1, 'name the token after what uses it').max(100),
    role: roleSchema,
    scopes: tokenScopesSchema
      .default([])
      .describe(`Limits the token to these machine-API scopes (${SCOPES.join(', ')}); empty or absent: the full access of its role`),
  })
  .superRefine((token, ctx) => {
    token.scopes.forEach((scope, index) => {
      const least = SCOPE_DEFINITIONS[scope].role;
      if (!roleAtLeast(token.role, least))
        ctx.addIssue({ code: 'custom', path: ['scopes', index], message: `${scope} needs at least the ${least} role, and this token is ${token.role}` });
    });
  })
  // Normalised only after the checks, so an issue's index is the one the client sent.
  .transform((token) => ({ ...token, scopes: normalizeScopes(token.scopes) }));

/** Whether a principal's scopes let it use `scope`; unscoped principals are limited by role only. */
export function scopeAllows(principal: { scopes?: readonly Scope[] }, scope: Scope): boolean {
  return principal.scopes === undefined || principal.scopes.length === 0 || principal.scopes.includes(scope);
}

/** The scopes a role can make use of, so a picker does not offer what the role would refuse anyway. */
export function scopesWithin(role: Role): Scope[] {
  return SCOPES.filter((scope) => roleAtLeast(role, SCOPE_DEFINITIONS[scope].role));
}

export function encodeScopes(scopes: readonly Scope[]): string {
  return JSON.stringify(normalizeScopes(scopes));
}

// Built once: the tokens in use are decoded again every second, and building a schema costs more than parsing with it.
const storedScopesSchema = z.array(scopeSchema);

/** null when the stored text is not a list of known scopes: such a token is refused, never widened to its role. */
export function decodeScopes(stored: string): Scope[] | null {
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return null;
  }
  const parsed = storedScopesSchema.safeParse(raw);
  return parsed.success ? normalizeScopes(parsed.data) : null;
}
