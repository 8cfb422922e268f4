import type { ZodType } from 'zod';
import type { Role } from '@/lib/auth/roles';
import type { Scope } from '@/lib/auth/scopes';
import { describeType, objectProperties, pathParams, toJsonSchema } from './json-schema';

export type Auth = 'public' | 'session' | 'token' | 'push-token';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One operation of either surface, as the document and the API page describe it. */
export interface OperationSpec {
  method: Method;
  /** OpenAPI style: `{name}` for a path parameter. */
  path: string;
  tag: string;
  summary: string;
  /** What the summary leaves out, in prose. */
  description?: string;
  auth: Auth;
  /** Least role that may call it; absent for public endpoints. */
  role?: Role;
  /** The scope a scoped token needs (machine API); it also sets the role. */
  scope?: Scope;
  /** Component name for the body; the schema is registered under it. */
  body?: [name: string, schema: ZodType];
  query?: [name: string, schema: ZodType];
  /** Component name and schema of the success body, where a client needs its fields. */
  response?: [name: string, schema: ZodType];
  /** Success status and its content; defaults to 200 JSON. */
  success?: { status: string; description: string; contentType?: string };
  server: 'web' | 'worker';
}

export const AUTH_LABEL: Record<Auth, string> = {
  public: 'none',
  session: 'session cookie + X-CSRF-Token, or Bearer token',
  token: 'Bearer token',
  'push-token': 'token in the path',
};

export interface RequestField {
  in: 'body' | 'query' | 'path';
  name: string;
  required: boolean;
  type: string;
  description?: string;
}

/** The fields an operation takes, for people reading the API page. */
export function requestFields(op: OperationSpec): RequestField[] {
  const fields: RequestField[] = pathParams(op.path).map((name) => ({ in: 'path', name, required: true, type: 'string' }));
  for (const [where, entry] of [
    ['query', op.query],
    ['body', op.body],
  ] as const) {
    if (!entry) continue;
    for (const prop of objectProperties(toJsonSchema(entry[1]))) {
      fields.push({
        in: where,
        name: prop.name,
        required: prop.required,
        type: describeType(prop.schema),
        description: typeof prop.schema.description === 'string' ? prop.schema.description : undefined,
      });
    }
  }
  return fields;
}

/** The top-level fields of an operation's success body, for the API page; empty where none is declared. */
export function responseFields(op: OperationSpec): Omit<RequestField, 'in'>[] {
  if (!op.response) return [];
  return objectProperties(toJsonSchema(op.response[1])).map((prop) => ({
    name: prop.name,
    required: prop.required,
    type: describeType(prop.schema),
    description: typeof prop.schema.description === 'string' ? prop.schema.description : undefined,
  }));
}

/** A web app route (app/api/**): signed in with a session unless it says otherwise. */
export const webOperation = (spec: Omit<OperationSpec, 'server' | 'auth'> & { auth?: Auth }): OperationSpec => ({ auth: 'session', ...spec, server: 'web' });
