import { z } from 'zod';

/** Every property name anywhere in a JSON Schema document: objects, their items, unions, definitions. */
function collectPropertyNames(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectPropertyNames(item, into);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) for (const name of Object.keys(value)) into.add(name);
    collectPropertyNames(value, into);
  }
}

/**
 * The field names a zod schema knows, at any depth, read from the schema itself: a fuzzer that
 * builds objects with them gets past "unknown key" into each field's own checks, on routes
 * added after the fuzzer was written too.
 */
export function fieldNamesOf(schema: unknown): string[] {
  if (!(schema instanceof z.ZodType)) return [];
  const names = new Set<string>();
  collectPropertyNames(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', cycles: 'ref', reused: 'inline' }), names);
  return [...names].sort();
}
