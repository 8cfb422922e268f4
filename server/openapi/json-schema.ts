import { z, type ZodType } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * zod → JSON Schema: of what a client sends by default (input side: defaults optional, coercions
 * accept strings), of what it gets back with `io: 'output'`.
 */
export function toJsonSchema(schema: ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** Moves local $defs into components so every $ref resolves against the whole document. */
export function hoist(name: string, schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  delete schema.$defs;
  const rename = (key: string) => `${name}_${key}`;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node && typeof node === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const local = /^#\/\$defs\/(.+)$/.exec(value);
          copy.$ref = local ? `#/components/schemas/${rename(local[1])}` : value === '#' ? `#/components/schemas/${name}` : value;
        } else copy[key] = rewrite(value);
      }
      return copy;
    }
    return node;
  };
  for (const [key, def] of Object.entries(defs)) components[rename(key)] = rewrite(def) as JsonSchema;
  return rewrite(schema) as JsonSchema;
}

/** Top-level properties of an object schema, flattening allOf (zod intersections) and anyOf variants. */
export function objectProperties(schema: JsonSchema): Array<{ name: string; required: boolean; schema: JsonSchema }> {
  const found = new Map<string, { name: string; required: boolean; schema: JsonSchema }>();
  const visit = (node: JsonSchema, requiredHere: boolean) => {
    const props = (node.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((node.required ?? []) as string[]);
    for (const [key, value] of Object.entries(props)) {
      if (!found.has(key)) found.set(key, { name: key, required: requiredHere && required.has(key), schema: value });
    }
    for (const part of (node.allOf ?? []) as JsonSchema[]) visit(part, requiredHere);
    const variants = [...((node.anyOf ?? []) as JsonSchema[]), ...((node.oneOf ?? []) as JsonSchema[])];
    // A field is required by a union only when every variant requires it.
    const requiredByAll = variants.length
      ? variants.map((v) => new Set((v.required ?? []) as string[])).reduce((a, b) => new Set([...a].filter((k) => b.has(k))))
      : new Set<string>();
    for (const part of variants) {
      for (const [key, value] of Object.entries((part.properties ?? {}) as Record<string, JsonSchema>)) {
        if (!found.has(key)) found.set(key, { name: key, required: requiredHere && requiredByAll.has(key), schema: value });
      }
    }
  };
  visit(schema, true);
  return [...found.values()];
}

/** A short human-readable type for the API page. */
export function describeType(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  if (typeof schema.type === 'string') {
    if (schema.type === 'array' && schema.items && typeof schema.items === 'object') return `${describeType(schema.items as JsonSchema)}[]`;
    return schema.format ? `${schema.type} (${String(schema.format)})` : schema.type;
  }
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants) return [...new Set(variants.map(describeType))].join(' | ');
  if (schema.$ref) return 'object';
  return 'any';
}

/** `{name}` parameters of an OpenAPI path. */
export const pathParams = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
