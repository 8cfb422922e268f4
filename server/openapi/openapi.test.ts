import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { SCOPE_DEFINITIONS, SCOPES, type Scope } from '@/lib/auth/scopes';
import { configLists, configSections } from '@/lib/config/config-schema';
import { renderConfigReference } from '@/scripts/config-reference';
import { isScopeAuth } from '../http/auth';
import type { AlertIntakeResult } from '../http/alert-intake';
import { z as zod } from 'zod';
import { defineRoute, WORKER_CONTRACTS } from '../contracts';
import { alertIntakeResultSchema } from '../contracts/machine-contracts';
import { buildOpenApiDocument, OPERATIONS, requestFields } from './openapi';

const doc = buildOpenApiDocument();

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else refsIn(value, out);
    }
  }
  return out;
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with operations that all declare responses', () => {
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.entries(doc.paths);
    expect(paths.length).toBeGreaterThan(30);
    for (const [path, item] of paths) {
      const operations = Object.entries(item);
      expect(operations.length, path).toBeGreaterThan(0);
      for (const [method, op] of operations) {
        expect(['get', 'post', 'patch', 'delete', 'put']).toContain(method);
        const responses = (op as { responses: Record<string, unknown> }).responses;
        expect(Object.keys(responses).length, `${method} ${path}`).toBeGreaterThan(0);
      }
    }
  });

  it('resolves every $ref to a schema or security scheme that exists', () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
      expect(match, ref).not.toBeNull();
      expect(doc.components.schemas[match![1]], ref).toBeDefined();
    }
    const schemes = Object.keys(doc.components.securitySchemes);
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item) as Array<{ security: Array<Record<string, string[]>> }>) {
        for (const requirement of op.security) for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
      }
    }
  });

  it('describes the whole machine API', () => {
    const expected: Array<[string, string]> = [
      ['/healthz', 'get'],
      ['/guard/check', 'get'],
      ['/api/v1/events', 'post'],
      ['/api/v1/push/{token}', 'post'],
      ['/api/v1/push/{token}', 'get'],
      ['/api/v1/modules', 'get'],
      ['/api/v1/threats', 'get'],
      ['/api/v1/isolations', 'get'],
      ['/api/v1/isolations', 'post'],
      ['/api/v1/isolations/{source}', 'delete'],
      ['/api/v1/decisions/stream', 'get'],
      ['/api/v1/audit', 'get'],
      ['/api/v1/features', 'get'],
      ['/api/v1/risk', 'get'],
      ['/api/v1/predictions', 'get'],
      ['/metrics', 'get'],
    ];
    const paths = doc.paths as Record<string, Record<string, unknown>>;
    for (const [path, method] of expected) expect(paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });

  it('is derived from every worker declaration: its auth as the security scheme, its scope as the role, its schemas as body and answer', () => {
    const paths = doc.paths as Record<
      string,
      Record<
        string,
        { security: unknown[]; 'x-vigil-scope'?: string; 'x-vigil-role'?: string; summary: string; requestBody?: unknown; responses: Record<string, unknown> }
      >
    >;
    const documented = WORKER_CONTRACTS.filter((contract) => contract.auth !== 'internal');
    expect(documented.length).toBeGreaterThan(20);
    for (const contract of documented) {
      const label = `${contract.method} ${contract.path}`;
      const op = paths[contract.path.replace(/:(\w+)/g, '{$1}')]?.[contract.method.toLowerCase()];
      expect(op, label).toBeDefined();
      expect(op.summary, label).toBe(contract.summary);
      expect(op.responses[String(contract.status ?? 200)], label).toBeDefined();
      expect(Boolean(op.requestBody), label).toBe(Boolean(contract.body));
      if (isScopeAuth(contract.auth)) {
        expect(op.security, label).toEqual([{ bearerToken: [] }]);
        expect(op['x-vigil-scope'], label).toBe(contract.auth);
        expect(op['x-vigil-role'], label).toBe(SCOPE_DEFINITIONS[contract.auth].role);
      } else {
        expect(op.security, label).toEqual([]);
        expect(op['x-vigil-scope'], label).toBeUndefined();
      }
    }
    // The web app's own calls are not part of the public document.
    expect(Object.keys(paths).filter((path) => path.startsWith('/internal/'))).toEqual([]);
  });

  it("is the same document from a router's copies of the declarations, and names a route outside the groups by its path", () => {
    expect(buildOpenApiDocument({ workerRoutes: WORKER_CONTRACTS.map((contract) => ({ ...contract })) })).toEqual(doc);
    const extra = defineRoute({
      method: 'POST',
      path: '/api/v1/bouncers/:id/keys',
      auth: 'isolations:write',
      tag: 'Machine',
      summary: 'A route from elsewhere',
      body: zod.object({ note: zod.string() }),
      response: zod.object({ ok: zod.boolean() }),
    });
    const withExtra = buildOpenApiDocument({ workerRoutes: [...WORKER_CONTRACTS, extra] });
    expect(Object.keys(withExtra.components.schemas)).toEqual(expect.arrayContaining(['PostApiV1BouncersIdKeysRequest', 'PostApiV1BouncersIdKeysResponse']));
    expect((withExtra.paths as Record<string, Record<string, { 'x-vigil-role'?: string }>>)['/api/v1/bouncers/{id}/keys'].post['x-vigil-role']).toBe(
      'operator',
    );
  });

  it('describes each worker answer with its declared response schema', () => {
    const paths = doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
    const isolate = paths['/api/v1/isolations'].post.responses['201'].content?.['application/json'].schema;
    expect(isolate).toEqual({ $ref: '#/components/schemas/IsolateResponse' });
    const decision = doc.components.schemas.IsolateResponse as { properties: Record<string, unknown>; required: string[] };
    expect(decision.required).toEqual(expect.arrayContaining(['id', 'source', 'scope', 'expiresAt']));
    expect(paths['/metrics'].get.responses['200'].content).toEqual({ 'text/plain': { schema: { type: 'string' } } });
  });

  it('requires a bearer token on the machine API and allows session or token on the operator API', () => {
    const paths = doc.paths as Record<string, Record<string, { security: unknown[] }>>;
    expect(paths['/api/v1/threats'].get.security).toEqual([{ bearerToken: [] }]);
    expect(paths['/healthz'].get.security).toEqual([]);
    expect(paths['/api/snapshots'].post.security).toEqual([{ sessionCookie: [], csrfHeader: [] }, { bearerToken: [] }]);
  });

  it('names the scope of every token operation of the machine API, and the role that scope needs', () => {
    const paths = doc.paths as Record<string, Record<string, { 'x-vigil-scope'?: Scope; 'x-vigil-role'?: string; description?: string }>>;
    const tokenOperations = OPERATIONS.filter((op) => op.server === 'worker' && op.auth === 'token');
    expect(tokenOperations.length).toBeGreaterThan(15);
    for (const op of tokenOperations) {
      const described = paths[op.path][op.method];
      expect(SCOPES, `${op.method} ${op.path}`).toContain(described['x-vigil-scope']);
      expect(described['x-vigil-role']).toBe(SCOPE_DEFINITIONS[described['x-vigil-scope']!].role);
      expect(described.description).toContain(described['x-vigil-scope']);
    }
    expect(paths['/api/v1/events'].post['x-vigil-scope']).toBe('events:write');
    expect(paths['/api/v1/alertmanager'].post['x-vigil-scope']).toBe('alerts:write');
    expect(paths['/api/tokens'].get['x-vigil-scope']).toBeUndefined();
    const createToken = OPERATIONS.find((op) => op.path === '/api/tokens' && op.method === 'post')!;
    expect(requestFields(createToken).find((f) => f.name === 'scopes')).toMatchObject({
      in: 'body',
      required: false,
      type: expect.stringContaining('"events:write"'),
    });
  });

  it('takes request bodies from the zod schemas the handlers parse with', () => {
    const ingest = doc.components.schemas.IngestRequest as { properties: { events: { items: unknown; maxItems: number } } };
    expect(ingest.properties.events.maxItems).toBe(1000);
    const errorShape = doc.components.schemas.Error as { properties: { error: { required: string[] } } };
    expect(errorShape.properties.error.required).toEqual(['code', 'message']);
    const createModule = OPERATIONS.find((op) => op.path === '/api/modules' && op.method === 'post')!;
    const fields = requestFields(createModule);
    expect(fields.find((f) => f.name === 'name')?.required).toBe(true);
    expect(fields.find((f) => f.name === 'kind')?.required).toBe(true);
    expect(fields.find((f) => f.name === 'url')?.required).toBe(false);
  });

  it('describes what the Alertmanager receiver does with alerts, and every field of its answer', () => {
    // Fails the type check the day the intake's answer and its documentation drift apart.
    expectTypeOf<z.output<typeof alertIntakeResultSchema>>().toEqualTypeOf<AlertIntakeResult>();
    const paths = doc.paths as Record<
      string,
      Record<
        string,
        { summary: string; description: string; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }
      >
    >;
    const receiver = paths['/api/v1/alertmanager'].post;
    expect(receiver.summary).not.toContain('each firing alert becomes an audit event');
    for (const words of ['vigil_incident', 'vigil_kind="threat"', 'defense signal', 'opens an incident', 'only audited', 'fingerprint', 'alerts:write'])
      expect(receiver.description).toContain(words);
    expect(receiver.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/AlertmanagerRequest' } } } });
    expect(receiver.responses['200'].content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/AlertmanagerResponse' });
    const answer = doc.components.schemas.AlertmanagerResponse as { properties: Record<string, { description?: string }>; required: string[] };
    expect(Object.keys(answer.properties).sort()).toEqual(['duplicates', 'incidentsOpened', 'moduleSignals', 'received', 'recorded', 'threatSignals']);
    expect(answer.required.sort()).toEqual(Object.keys(answer.properties).sort());
    for (const [name, field] of Object.entries(answer.properties)) expect(field.description, name).toBeTruthy();
  });

  it('lists audit filters as query parameters', () => {
    const paths = doc.paths as Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
    const names = (paths['/api/v1/audit'].get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['type', 'severity', 'cursor', 'limit']));
  });
});

describe('configuration reference', () => {
  it('has a section for every config section and list', () => {
    const markdown = renderConfigReference();
    for (const name of [...Object.keys(configSections), ...Object.keys(configLists)]) expect(markdown).toContain(`## \`${name}\``);
    expect(markdown).toContain('kind: `process`');
  });
});
