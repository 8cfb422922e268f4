import { describeType, objectProperties, toJsonSchema, type JsonSchema } from './json-schema';
import type { OperationSpec } from './operation-spec';

/** Where each surface answers, as the reader of the API page reaches it. */
export interface ApiBases {
  web: string;
  worker: string;
}

/** A placeholder value of the right shape, so a copied example is valid JSON to edit. */
function placeholder(schema: JsonSchema): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if ('const' in schema) return schema.const;
  if ('default' in schema) return schema.default;
  const type = describeType(schema);
  if (type.startsWith('integer') || type.startsWith('number')) return 0;
  if (type.startsWith('boolean')) return false;
  if (type.endsWith('[]') || type.startsWith('array')) return [];
  if (type.startsWith('object')) return {};
  return '…';
}

/** The body of an example request: the required fields with placeholders. */
export function exampleBody(op: OperationSpec): Record<string, unknown> | null {
  if (!op.body) return null;
  const body: Record<string, unknown> = {};
  for (const prop of objectProperties(toJsonSchema(op.body[1]))) if (prop.required) body[prop.name] = placeholder(prop.schema);
  return body;
}

/** A curl command for the operation against this installation's own addresses. */
export function curlExample(op: OperationSpec, bases: ApiBases): string {
  const url = `${op.server === 'web' ? bases.web : bases.worker}${op.path}`;
  const lines = [`curl -X ${op.method.toUpperCase()} '${url}'`];
  if (op.auth === 'token' || op.auth === 'session') lines.push(`-H 'authorization: Bearer $VIGIL_TOKEN'`);
  const body = exampleBody(op);
  if (body) lines.push(`-H 'content-type: application/json'`, `-d '${JSON.stringify(body)}'`);
  return lines.join(' \\\n  ');
}
