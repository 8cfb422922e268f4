import { describe, expect, it } from 'vitest';
import { moduleSchema } from '../module-schema';
import { checkDraft, definitionOf, draftOf, emptyDraft, needsAdmin, withKind } from './module-draft';
import { KIND_SPECS } from './kind-catalog';

describe('the module form', () => {
  it('offers every kind the module schema accepts, and no other', () => {
    const schemaKinds = moduleSchema.options.map((option) => option.shape.kind.value).sort();
    expect(KIND_SPECS.map((spec) => spec.kind).sort()).toEqual(schemaKinds);
  });

  it('names every field a kind needs: an empty draft of each kind fails only on fields the form shows', () => {
    for (const spec of KIND_SPECS) {
      const { issues } = checkDraft({ ...withKind(emptyDraft(), spec.kind), name: 'probe-1' });
      const shown = new Set(spec.fields.map((field) => field.key));
      for (const key of Object.keys(issues.fields)) expect(shown.has(key), `${spec.kind}: ${key} is not in the form`).toBe(true);
    }
  });

  it('answers a postgres URL that is no URL with an issue, not an exception', () => {
    const checked = moduleSchema.safeParse({ name: 'db', kind: 'postgres', url: 'not a url' });
    expect(checked.success).toBe(false);
    expect(checked.error?.issues.map((issue) => issue.path.join('.'))).toContain('url');
  });

  it('turns a filled TCP draft into the definition the schema accepts', () => {
    const draft = { ...withKind(emptyDraft(), 'tcp'), name: 'db-port', values: { host: '127.0.0.1', port: '5432' } };
    const checked = checkDraft(draft);
    expect(checked.ok).toBe(true);
    expect(checked.definition).toMatchObject({ name: 'db-port', kind: 'tcp', host: '127.0.0.1', port: 5432, intervalSeconds: 30, conditions: [] });
  });

  it('names a field that is not a number instead of sending NaN', () => {
    const draft = { ...withKind(emptyDraft(), 'tcp'), name: 'db-port', values: { host: '127.0.0.1', port: '54x' } };
    expect(checkDraft(draft).issues.fields.port).toBe('must be a number');
  });

  it("places a condition's parse error, with its caret, under the line it was typed on", () => {
    const draft = {
      ...emptyDraft('keyword'),
      name: 'shop',
      conditions: '[STATUS] == 200\n\n[STATUS] = 200',
      values: { url: 'http://127.0.0.1:1/', keyword: 'ok' },
    };
    const { issues, ok } = checkDraft(draft);
    expect(ok).toBe(false);
    expect(issues.conditions[2]).toBe('column 10: unexpected "="\n  [STATUS] = 200\n           ^');
    expect(issues.conditions[0]).toBeUndefined();
  });

  it('keeps what the form does not show when editing, and drops an optional field the operator cleared', () => {
    const stored = moduleSchema.parse({ name: 'mail', kind: 'smtp', host: 'mx.local', port: 2525, dependsOn: ['dns'], failureThreshold: 5 });
    const draft = draftOf(stored);
    expect(draft.values).toEqual({ host: 'mx.local', port: '2525' });
    const edited = definitionOf({ ...draft, values: { host: 'mx2.local', port: '' } }, stored);
    expect(edited).toMatchObject({ host: 'mx2.local', dependsOn: ['dns'], failureThreshold: 5 });
    expect(edited).not.toHaveProperty('port');
    expect(moduleSchema.parse(edited)).toMatchObject({ port: 25 });
  });

  it('round-trips lists and ticks', () => {
    const stored = moduleSchema.parse({ name: 'ns', kind: 'dns', host: 'shop.test', resolver: '127.0.0.1:5353', expect: ['10.0.0.1', '10.0.0.2'] });
    expect(checkDraft(draftOf(stored), stored)).toMatchObject({ ok: true, definition: { expect: ['10.0.0.1', '10.0.0.2'] } });
    const keyword = moduleSchema.parse({ name: 'k', kind: 'keyword', url: 'http://127.0.0.1:1/', keyword: 'sold out', invertKeyword: true });
    expect(draftOf(keyword).values.invertKeyword).toBe(true);
  });

  it('says which drafts only an admin may save', () => {
    expect(needsAdmin({ ...emptyDraft('process'), name: 'p' })).toBe(true);
    expect(needsAdmin({ ...emptyDraft('redis'), name: 'r' })).toBe(false);
    expect(needsAdmin({ ...emptyDraft('redis'), name: 'r', values: { host: '127.0.0.1', port: '', passwordEnv: 'REDIS_PASSWORD' } })).toBe(true);
    expect(needsAdmin({ ...emptyDraft('tcp'), name: 't', values: { host: 'h', port: '1' } }, { restart: { command: ['systemctl', 'restart', 'x'] } })).toBe(
      true,
    );
  });
});
