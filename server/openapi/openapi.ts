import type { ZodType } from 'zod';
import { WORKER_CONTRACTS, type RouteContract } from '../contracts';
import { hoist, objectProperties, pathParams, toJsonSchema, type JsonSchema } from './json-schema';
import type { Auth, OperationSpec } from './operation-spec';
import { WEB_OPERATIONS } from './web-operations';
import { workerOperations } from './worker-operations';

export { AUTH_LABEL, requestFields, type Auth, type Method, type OperationSpec, type RequestField } from './operation-spec';
export { describeType, objectProperties, toJsonSchema } from './json-schema';

/** Every operation of both HTTP surfaces: the web app's table and the worker's declarations. */
export const OPERATIONS: OperationSpec[] = [...WEB_OPERATIONS, ...workerOperations(WORKER_CONTRACTS)];

const SECURITY: Record<Auth, Array<Record<string, string[]>>> = {
  public: [],
  // Cookie sessions must also send the CSRF header on unsafe methods; API tokens work here too.
  session: [{ sessionCookie: [], csrfHeader: [] }, { bearerToken: [] }],
  token: [{ bearerToken: [] }],
  'push-token': [],
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/**
 * The OpenAPI 3.1 document of both surfaces. The worker's operations come from its route
 * declarations (`workerRoutes`, by default the shared contracts every worker registers); a
 * test passes a running worker's `router.declarations()` to show the two are the same.
 */
export function buildOpenApiDocument(options: { version?: string; workerRoutes?: readonly RouteContract[] } = {}) {
  const schemas: Record<string, JsonSchema> = {
    Error: {
      type: 'object',
      description: 'The one error shape of both HTTP surfaces.',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { type: 'string', description: 'Stable, for machines' }, message: { type: 'string', description: 'For people' } },
        },
      },
    },
  };
  const register = (name: string, schema: ZodType, io: 'input' | 'output' = 'input') => {
    if (!schemas[name]) schemas[name] = hoist(name, toJsonSchema(schema, io), schemas);
    return { $ref: `#/components/schemas/${name}` };
  };

  const operations = options.workerRoutes ? [...WEB_OPERATIONS, ...workerOperations(options.workerRoutes)] : OPERATIONS;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters: unknown[] = pathParams(op.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    if (op.query) {
      register(op.query[0], op.query[1]);
      for (const prop of objectProperties(toJsonSchema(op.query[1])))
        parameters.push({ name: prop.name, in: 'query', required: prop.required, schema: prop.schema });
    }
    const success = op.success ?? { status: '200', description: 'OK' };
    const successSchema = op.response
      ? register(op.response[0], op.response[1], 'output')
      : success.contentType && success.contentType !== 'application/json'
        ? { type: 'string' }
        : { type: 'object' };
    const responses: Record<string, unknown> = {
      [success.status]:
        success.status === '204'
          ? { description: success.description }
          : { description: success.description, content: { [success.contentType ?? 'application/json']: { schema: successSchema } } },
    };
    if (op.body || op.query) responses['422'] = errorResponse('The request did not validate; the message names each bad field');
    if (op.auth === 'session' || op.auth === 'token') {
      responses['401'] = errorResponse('Not signed in, or no valid token');
      responses['403'] = errorResponse(
        op.auth === 'session'
          ? 'Role too low, missing CSRF token, or a scoped token (scopes are for the machine API)'
          : 'Token role too low, or the token is scoped without the one this operation needs',
      );
    }
    if (op.path === '/guard/check') responses['403'] = { description: 'The source is isolated, or LOCKDOWN blocks it' };
    if (op.auth === 'push-token' || parameters.some((p) => (p as { in: string }).in === 'path')) responses['404'] = errorResponse('Not found');

    const operation: Record<string, unknown> = {
      operationId: `${op.server}_${op.method}_${op.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description || op.scope
        ? {
            description: [
              op.description,
              op.scope ? `A scoped token needs the scope \`${op.scope}\`; a token without scopes needs the role ${op.role}.` : undefined,
            ]
              .filter(Boolean)
              .join('\n\n'),
          }
        : {}),
      ...(op.scope ? { 'x-vigil-scope': op.scope } : {}),
      security: SECURITY[op.auth],
      servers: [
        {
          url: op.server === 'web' ? 'http://localhost:3000' : 'http://localhost:3001',
          description: op.server === 'web' ? 'web app (PORT)' : 'worker (WORKER_PORT)',
        },
      ],
      responses,
      ...(op.role ? { 'x-vigil-role': op.role } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: register(op.body[0], op.body[1]) } } } } : {}),
    };
    (paths[op.path] ??= {})[op.method] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigil API',
      version: options.version ?? '0.1.0',
      description: 'Operator API of the web app (port 3000) and machine API of the worker (port 3001). Every error body is {"error":{"code","message"}}.',
    },
    servers: [
      { url: 'http://localhost:3000', description: 'web app' },
      { url: 'http://localhost:3001', description: 'worker' },
    ],
    tags: [...new Set(operations.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'vigil_session', description: 'Set by POST /api/auth/login' },
        csrfHeader: {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description: "Required with the session cookie on POST, PATCH and DELETE; the value is in the page's vigil-csrf meta tag",
        },
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'API token created on the admin page (or VIGIL_API_TOKEN); its role must be at least x-vigil-role. A token created with scopes may call only the machine-API operations whose x-vigil-scope it holds, and no operator-API operation; a token without scopes has the full access of its role',
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
