import type { JsonValue } from '../canonical-json';
import type { EditableSection } from './editable-sections';
import { secretPaths } from './secret-mask';

/** One changed field; an index type, so a list of them is an audit event's JSON as it is. */
export type SectionChange = { [key: string]: JsonValue } & { field: string; before?: JsonValue; after?: JsonValue };

const MAX_CHANGES = 50;
const MAX_TEXT = 200;

type Json = Record<string, unknown>;
const isContainer = (value: unknown): value is Json => typeof value === 'object' && value !== null;

function shown(value: unknown): JsonValue {
  const text = JSON.stringify(value);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : (JSON.parse(text) as JsonValue);
}

function walk(before: unknown, after: unknown, path: string[], out: { path: string[]; before: unknown; after: unknown }[]): void {
  if (out.length > MAX_CHANGES) return;
  // An added or removed entry is listed field by field, so its secrets stay out like any other.
  if (before === undefined && isContainer(after)) before = Array.isArray(after) ? [] : {};
  if (after === undefined && isContainer(before)) after = Array.isArray(before) ? [] : {};
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) walk(before[key], after[key], [...path, key], out);
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, before, after });
}

/**
 * What changed between two versions of a section, field by field, for the audit trail. A secret
 * that changed is named ("replaced") but never written, in either version.
 */
export function diffSection(section: EditableSection, before: unknown, after: unknown): SectionChange[] {
  const raw: { path: string[]; before: unknown; after: unknown }[] = [];
  walk(before, after, [], raw);
  const secrets = [...secretPaths(section, before), ...secretPaths(section, after)].map((path) => path.join('.'));
  // A change at or under a secret (or a container that holds one) says only that it changed.
  const touchesSecret = (field: string) => secrets.some((secret) => secret === field || secret.startsWith(`${field}.`) || field.startsWith(`${secret}.`));
  return raw.slice(0, MAX_CHANGES).map(({ path, before: was, after: now }) => {
    const field = [section, ...path].join('.');
    if (touchesSecret(path.join('.')))
      return { field, ...(was !== undefined && { before: 'secret' }), ...(now !== undefined && { after: was === undefined ? 'secret' : 'secret (replaced)' }) };
    return { field, ...(was !== undefined && { before: shown(was) }), ...(now !== undefined && { after: shown(now) }) };
  });
}
