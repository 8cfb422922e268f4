import { describe, expect, it } from 'vitest';
import { curlExample, exampleBody } from './api-example';
import { OPERATIONS } from './openapi';
import { responseFields } from './operation-spec';

const BASES = { web: 'https://vigil.example:8443', worker: 'http://vigil.example:9001' };
const find = (method: string, path: string) => {
  const op = OPERATIONS.find((o) => o.method === method && o.path === path);
  if (!op) throw new Error(`no ${method} ${path}`);
  return op;
};

describe('API page examples', () => {
  it('address the surface that serves the operation, on this installation', () => {
    const web = OPERATIONS.find((op) => op.server === 'web' && op.auth === 'session')!;
    const worker = OPERATIONS.find((op) => op.server === 'worker' && op.auth === 'token')!;
    expect(curlExample(web, BASES)).toContain(`'${BASES.web}${web.path}'`);
    expect(curlExample(worker, BASES)).toContain(`'${BASES.worker}${worker.path}'`);
    expect(curlExample(worker, BASES)).toContain('authorization: Bearer $VIGIL_TOKEN');
    for (const op of OPERATIONS) expect(curlExample(op, BASES)).not.toMatch(/:300[01]\b/);
  });

  it('send a body of the required fields, as JSON a reader can edit', () => {
    const isolate = find('post', '/api/defense/isolations');
    const body = exampleBody(isolate)!;
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['source', 'reason']));
    const command = curlExample(isolate, BASES);
    const sent = /-d '(.*)'$/.exec(command)![1];
    expect(JSON.parse(sent)).toEqual(body);
    expect(exampleBody(OPERATIONS.find((op) => op.method === 'get')!)).toBeNull();
  });

  it('lists the fields of a declared response', () => {
    const withResponse = OPERATIONS.filter((op) => op.response);
    expect(withResponse.length).toBeGreaterThan(0);
    expect(withResponse.some((op) => responseFields(op).length > 0)).toBe(true);
    expect(responseFields(OPERATIONS.find((op) => !op.response)!)).toEqual([]);
  });
});
