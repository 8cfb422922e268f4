import type { EditableSection } from './editable-sections';

/**
 * Secrets in a section (a channel's webhook URL, signing secret, headers, SMTP password) never
 * go back to the browser: they are shown masked, and a value still holding the mask on save
 * means "keep what is stored". Sixteen characters, so a masked signing secret still passes the
 * file's own length rule while the operator edits other fields.
 */
export const SECRET_MASK = '••••••••••••••••';

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where a channel of each kind keeps what must stay secret (URLs whose path is their credential). */
function secretPathsOfChannel(channel: Json): string[][] {
  switch (channel.kind) {
    case 'webhook':
      return [['url'], ['secret'], ...Object.keys(isRecord(channel.headers) ? channel.headers : {}).map((name) => ['headers', name])];
    case 'slack':
    case 'teams':
    case 'discord':
      return [['url']];
    case 'email':
      return [['auth', 'password']];
    default:
      // The other kinds name their credentials by environment variable or file, never hold them.
      return [];
  }
}

/** Every secret leaf of a section value, as a path from the section down. */
export function secretPaths(section: EditableSection, value: unknown): string[][] {
  if (section !== 'notifications' || !isRecord(value) || !Array.isArray(value.channels)) return [];
  return value.channels.flatMap((channel, index) =>
    isRecord(channel) ? secretPathsOfChannel(channel).map((path) => ['channels', String(index), ...path]) : [],
  );
}

function getAt(value: unknown, path: string[]): unknown {
  let node = value;
  for (const key of path) node = isRecord(node) || Array.isArray(node) ? (node as Json)[key] : undefined;
  return node;
}

function setAt(value: unknown, path: string[], leaf: unknown): void {
  const parent = getAt(value, path.slice(0, -1));
  if (isRecord(parent) || Array.isArray(parent)) (parent as Json)[path[path.length - 1]] = leaf;
}

/** A URL keeps its scheme and host, so the operator sees where it goes; the rest is the secret. */
function maskLeaf(leaf: unknown): unknown {
  if (typeof leaf !== 'string' || leaf === '') return leaf;
  if (/^https?:\/\//i.test(leaf)) {
    try {
      return `${new URL(leaf).origin}/${SECRET_MASK}`;
    } catch {
      return SECRET_MASK;
    }
  }
  return SECRET_MASK;
}

export const isMasked = (leaf: unknown): boolean => typeof leaf === 'string' && leaf.includes(SECRET_MASK);

/** A copy of the section with every secret masked: what a browser, a log or an audit event may see. */
export function maskSecrets<T>(section: EditableSection, value: T): T {
  const copy = structuredClone(value);
  for (const path of secretPaths(section, copy)) setAt(copy, path, maskLeaf(getAt(copy, path)));
  return copy;
}

/** The channel of the same name in the section in force, whose secrets a masked field keeps. */
function previousChannel(previous: unknown, name: unknown): Json | undefined {
  if (!isRecord(previous) || !Array.isArray(previous.channels)) return undefined;
  return previous.channels.find((channel): channel is Json => isRecord(channel) && channel.name === name);
}

/**
 * Puts back the stored secret wherever the incoming value still holds the mask. A masked field
 * with nothing to keep (a new channel, a renamed one, another kind) is a problem to answer, never
 * a mask saved as the secret.
 */
export function restoreSecrets(
  section: EditableSection,
  incoming: unknown,
  previous: unknown,
): { value: unknown; problems: { field: string; message: string }[] } {
  const value = structuredClone(incoming);
  const problems: { field: string; message: string }[] = [];
  for (const path of secretPaths(section, value)) {
    if (!isMasked(getAt(value, path))) continue;
    const [, index, ...rest] = path;
    const channel = getAt(value, ['channels', index]) as Json;
    const before = previousChannel(previous, channel.name);
    const kept = before && before.kind === channel.kind ? getAt(before, rest) : undefined;
    if (typeof kept === 'string') setAt(value, path, kept);
    else problems.push({ field: [section, ...path].join('.'), message: 'enter this secret again: there is no stored value to keep' });
  }
  return { value, problems };
}
