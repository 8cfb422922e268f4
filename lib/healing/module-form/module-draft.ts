import { moduleSchema, runsCommands, type ModuleDefinition, type ModuleKind } from '../module-schema';
import type { FieldSpec } from './field-spec';
import { kindSpec } from './kind-catalog';
import { emptyVantageDraft, takesVantage, vantageDraftOf, vantageOf, type VantageDraft } from './vantage-draft';

/** The module form as typed: every value is text (or a tick), turned into a definition only to be checked or sent. */
export interface ModuleDraft {
  name: string;
  kind: ModuleKind;
  intervalSeconds: string;
  critical: boolean;
  /** One Gatus-style condition per line. */
  conditions: string;
  values: Record<string, string | boolean>;
  /** Which hosts probe it and the quorum, for the kinds several hosts can probe. */
  vantage: VantageDraft;
}

/** What the schema said, by field: `conditions` by line index, `vantage.<key>` by the vantage's own key, the rest by top-level key. */
export interface DraftIssues {
  fields: Record<string, string>;
  conditions: Record<number, string>;
}

export function emptyDraft(kind: ModuleKind = 'http'): ModuleDraft {
  return { name: '', kind, intervalSeconds: '30', critical: false, conditions: '', values: defaultValues(kind), vantage: emptyVantageDraft() };
}

function defaultValues(kind: ModuleKind): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const field of kindSpec(kind).fields) {
    if (field.type === 'check') values[field.key] = false;
    else if (field.type === 'select') values[field.key] = field.options[0];
    else values[field.key] = field.key === 'host' ? '127.0.0.1' : '';
  }
  return values;
}

/** The same draft with another kind: the name, interval, conditions and vantage stay, the kind's own fields start afresh. */
export function withKind(draft: ModuleDraft, kind: ModuleKind): ModuleDraft {
  return { ...draft, kind, values: defaultValues(kind) };
}

const splitLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

function valueOf(field: FieldSpec, raw: string | boolean | undefined): unknown {
  if (field.type === 'check') return raw === true;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (field.type === 'lines') return splitLines(text);
  if (text === '' && field.optional) return undefined;
  // A number field holding something else goes to the schema as text, which names the field.
  if (field.type === 'number') return text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  return text;
}

/**
 * The definition the draft stands for. `base` is the stored definition when editing: what the
 * form does not show (detection thresholds, restart policy, dependencies) is kept as it was.
 */
export function definitionOf(draft: ModuleDraft, base: Record<string, unknown> = {}): Record<string, unknown> {
  const interval = draft.intervalSeconds.trim();
  const definition: Record<string, unknown> = {
    ...base,
    name: draft.name.trim(),
    kind: draft.kind,
    intervalSeconds: interval !== '' && Number.isFinite(Number(interval)) ? Number(interval) : interval,
    critical: draft.critical,
    conditions: draft.conditions.split('\n').filter((line) => line.trim() !== ''),
  };
  for (const field of kindSpec(draft.kind).fields) {
    const value = valueOf(field, draft.values[field.key]);
    if (value === undefined) delete definition[field.key];
    else definition[field.key] = value;
  }
  if (takesVantage(draft.kind) && draft.vantage.enabled) definition.vantage = vantageOf(draft.vantage);
  else delete definition.vantage;
  return definition;
}

const formatted = (value: unknown): string | boolean =>
  typeof value === 'boolean' ? value : Array.isArray(value) ? value.map(String).join('\n') : value === undefined || value === null ? '' : String(value);

/** The form for a stored definition, to edit it. */
export function draftOf(definition: ModuleDefinition): ModuleDraft {
  const record = definition as unknown as Record<string, unknown>;
  const values: Record<string, string | boolean> = {};
  for (const field of kindSpec(definition.kind).fields) values[field.key] = formatted(record[field.key]);
  return {
    name: definition.name,
    kind: definition.kind,
    intervalSeconds: String(definition.intervalSeconds),
    critical: definition.critical,
    conditions: definition.conditions.join('\n'),
    values,
    vantage: vantageDraftOf('vantage' in definition ? definition.vantage : undefined),
  };
}

/** Index of each non-blank line among the condition lines the definition keeps, to place a message under the line typed. */
function conditionLineOf(draft: ModuleDraft, index: number): number {
  const lines = draft.conditions.split('\n');
  let kept = -1;
  for (let line = 0; line < lines.length; line++) if (lines[line].trim() !== '' && ++kept === index) return line;
  return index;
}

const numberMessage = (message: string) => message.replace(/^Invalid input: expected number, received string$/, 'must be a number');

/** The schema's verdict on the draft, by field, with the same messages the server would answer. */
export function checkDraft(draft: ModuleDraft, base?: Record<string, unknown>): { definition: Record<string, unknown>; issues: DraftIssues; ok: boolean } {
  const definition = definitionOf(draft, base);
  const checked = moduleSchema.safeParse(definition);
  const issues: DraftIssues = { fields: {}, conditions: {} };
  if (checked.success) return { definition, issues, ok: true };
  for (const issue of checked.error.issues) {
    const [key, index] = issue.path;
    if (key === 'conditions' && typeof index === 'number') issues.conditions[conditionLineOf(draft, index)] ??= issue.message;
    else if (key === 'vantage') issues.fields[`vantage.${String(index ?? 'hosts')}`] ??= numberMessage(issue.message);
    else issues.fields[String(key ?? 'name')] ??= numberMessage(issue.message);
  }
  return { definition, issues, ok: false };
}

/** Whether only an admin may save this draft: a kind that runs a program, or a password read from the environment. */
export function needsAdmin(draft: ModuleDraft, base?: Record<string, unknown>): boolean {
  if (kindSpec(draft.kind).adminOnly) return true;
  if (kindSpec(draft.kind).fields.some((field) => field.adminOnly && typeof draft.values[field.key] === 'string' && draft.values[field.key] !== ''))
    return true;
  const parsed = moduleSchema.safeParse(definitionOf(draft, base));
  return parsed.success && runsCommands(parsed.data);
}
