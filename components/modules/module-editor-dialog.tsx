'use client';

import { useMemo, useState } from 'react';
import type { ModuleDefinition, ModuleKind } from '@/lib/healing/module-schema';
import { KIND_SPECS, kindSpec } from '@/lib/healing/module-form/kind-catalog';
import { checkDraft, draftOf, emptyDraft, needsAdmin, withKind, type ModuleDraft } from '@/lib/healing/module-form/module-draft';
import { takesVantage, type VantageDraft } from '@/lib/healing/module-form/vantage-draft';
import { fieldIssues } from '@/lib/field-issues';
import { ApiRequestError } from '../queries/api-fetch';
import { useDefineModule } from '../queries/use-module-mutations';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Field, FormError, Select, TextInput } from '../ui/field';
import { ConditionField } from './condition-field';
import { FieldIssue, ModuleKindFields } from './module-kind-fields';
import { VantageFields } from './vantage-fields';

type Touched = Set<string>;

/** Messages for what the operator has touched (everything once they tried to save): a blank form is not a wall of red. */
function visible(issues: Record<string, string>, touched: Touched, all: boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(issues).filter(([key]) => all || touched.has(key)));
}

/**
 * Defines a module of any kind, or edits a console one (`stored`). The one module schema checks
 * the draft on every keystroke, the same check the web route and the worker make.
 */
export function ModuleEditorDialog({ stored, isAdmin, onClose }: { stored?: ModuleDefinition; isAdmin: boolean; onClose: () => void }) {
  const editing = stored !== undefined;
  const base = stored as Record<string, unknown> | undefined;
  const [draft, setDraft] = useState<ModuleDraft>(() => (stored ? draftOf(stored) : emptyDraft()));
  const [touched, setTouched] = useState<Touched>(new Set());
  const [tried, setTried] = useState(false);
  const [serverIssues, setServerIssues] = useState<Record<string, string>>({});
  const define = useDefineModule();
  const checked = useMemo(() => checkDraft(draft, base), [draft, base]);
  const shown = { ...visible(checked.issues.fields, touched, tried), ...serverIssues };
  const conditionIssues = tried || touched.has('conditions') ? checked.issues.conditions : {};
  const adminNeeded = needsAdmin(draft, base);

  const touch = (key: string) => {
    setTouched((keys) => (keys.has(key) ? keys : new Set(keys).add(key)));
    setServerIssues({});
  };
  const setCommon = <K extends 'name' | 'intervalSeconds' | 'critical' | 'conditions'>(key: K, value: ModuleDraft[K]) => {
    touch(key);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const setValue = (key: string, value: string | boolean) => {
    touch(key);
    setDraft((d) => ({ ...d, values: { ...d.values, [key]: value } }));
  };
  const setVantage = <K extends keyof VantageDraft>(key: K, value: VantageDraft[K]) => {
    touch(`vantage.${key}`);
    // Which points there are decides whether the quorum can be met: its message follows them.
    if (key !== 'enabled') touch('vantage.quorum');
    setDraft((d) => ({ ...d, vantage: { ...d.vantage, [key]: value } }));
  };
  const submit = () => {
    setTried(true);
    if (!checked.ok || (adminNeeded && !isAdmin)) return;
    define.mutate(checked.definition, {
      onSuccess: onClose,
      onError: (error) => {
        if (error instanceof ApiRequestError && error.status === 422) setServerIssues(fieldIssues(error.message));
      },
    });
  };
  const unplaced =
    adminNeeded && !isAdmin
      ? 'Only an admin may save this module: it runs a program or reads a password from the environment.'
      : define.error && !(define.error instanceof ApiRequestError && define.error.status === 422 && Object.keys(serverIssues).length)
        ? define.error.message
        : null;

  return (
    <Dialog
      open
      onClose={onClose}
      title={editing ? `Edit ${stored.name}` : 'Define a module'}
      size="lg"
      dismissible={!define.isPending}
      testId="module-define-dialog"
    >
      <form
        className="flex max-h-[calc(100vh-10rem)] flex-col gap-3 overflow-y-auto pr-1"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <div className="grid gap-3 sm:grid-cols-[1fr_12rem]">
          <Field label="Name" hint={editing ? 'The name identifies the module; define a new one to rename it.' : <FieldIssue text={shown.name} />}>
            <TextInput
              value={draft.name}
              readOnly={editing}
              onChange={(e) => setCommon('name', e.target.value)}
              placeholder="checkout-api"
              className="font-mono read-only:bg-surface-2"
              aria-invalid={shown.name ? true : undefined}
              data-testid="module-define-name"
            />
          </Field>
          <Field label="Kind">
            <Select
              value={draft.kind}
              disabled={editing}
              onChange={(e) => setDraft((d) => withKind(d, e.target.value as ModuleKind))}
              data-testid="module-define-kind"
            >
              {KIND_SPECS.map((spec) => (
                <option key={spec.kind} value={spec.kind} disabled={spec.adminOnly && !isAdmin}>
                  {spec.kind}
                  {spec.adminOnly ? ' (admins only)' : ''}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <p className="text-xs text-muted" data-testid="module-define-summary">
          {kindSpec(draft.kind).summary}
        </p>
        <ModuleKindFields draft={draft} issues={shown} isAdmin={isAdmin} onChange={setValue} />
        {takesVantage(draft.kind) ? <VantageFields draft={draft.vantage} issues={shown} onChange={setVantage} /> : null}
        <ConditionField value={draft.conditions} onChange={(value) => setCommon('conditions', value)} issues={conditionIssues} />
        <div className="grid grid-cols-[7rem_1fr] items-end gap-3">
          <Field label="Check every (seconds)" hint={<FieldIssue text={shown.intervalSeconds} />}>
            <TextInput
              inputMode="numeric"
              value={draft.intervalSeconds}
              onChange={(e) => setCommon('intervalSeconds', e.target.value)}
              data-testid="module-define-interval"
            />
          </Field>
          <label className="flex h-9 items-center gap-2 text-sm">
            <input type="checkbox" className="accent-[var(--accent)]" checked={draft.critical} onChange={(e) => setCommon('critical', e.target.checked)} />
            Critical <span className="text-xs text-faint">(weighs more in the health score)</span>
          </label>
        </div>
        <FormError message={unplaced} />
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose} disabled={define.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={define.isPending || (adminNeeded && !isAdmin)} data-testid="module-define-submit">
            {define.isPending ? 'Saving…' : editing ? 'Save' : 'Define'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
