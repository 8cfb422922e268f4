'use client';

import { useMemo, useState, type ReactNode } from 'react';
import { validateSection, type EditableSection, type SectionProblem, type SectionView } from '@/lib/settings/editable-sections';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { FormError } from '../ui/field';
import { LocalTime } from '../ui/local-time';
import { Panel } from '../ui/panel';
import { useSectionMutation } from './settings-queries';

export interface EditorApi<T> {
  draft: T;
  update: (next: T) => void;
  /** The file schema's message for this field (a path under the section), as the operator types. */
  problemAt: (...path: (string | number)[]) => string | undefined;
  readOnly: boolean;
  /** True while the draft differs from what is in force. */
  dirty: boolean;
}

/**
 * One config section in the console: its origin ("set in the console" or "from vigil.config.yaml"),
 * a draft checked by the file's own schema on every keystroke, Save, and "Revert to file".
 */
export function SectionEditor<T>({
  view,
  title,
  subtitle,
  canAdminister,
  children,
}: {
  view: SectionView;
  title: string;
  subtitle: string;
  canAdminister: boolean;
  children: (api: EditorApi<T>) => ReactNode;
}) {
  const section: EditableSection = view.section;
  const [draft, setDraft] = useState<T>(view.value as T);
  const [saved, setSaved] = useState<string | null>(null);
  const { save, revert } = useSectionMutation(section);
  const problems: SectionProblem[] = useMemo(() => {
    const result = validateSection(section, draft);
    return result.ok ? [] : result.problems;
  }, [section, draft]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(view.value);
  const problemAt = (...path: (string | number)[]) => problems.find((p) => p.field === [section, ...path].join('.'))?.message;
  const failure = (save.error ?? revert.error)?.message ?? null;
  const done = (message: string) => (next: SectionView) => {
    setDraft(next.value as T);
    setSaved(message);
  };
  return (
    <Panel title={title} subtitle={subtitle} testId={`settings-${section}`} id={`settings-${section}`}>
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(null);
          save.mutate(draft, { onSuccess: done('Saved; in force now.') });
        }}
      >
        {/* In the body, not the header: on a phone a badge beside the title would cut the title short. */}
        <p className="text-xs text-muted">
          In force:{' '}
          <Badge tone={view.origin === 'console' ? 'accent' : 'neutral'} testId={`settings-${section}-origin`}>
            {view.origin === 'console' ? 'set in the console' : 'from vigil.config.yaml'}
          </Badge>
        </p>
        <fieldset disabled={!canAdminister} className="flex min-w-0 flex-col gap-4">
          <legend className="sr-only">{title}</legend>
          {children({ draft, update: (next) => (setSaved(null), setDraft(next)), problemAt, readOnly: !canAdminister, dirty })}
        </fieldset>
        {problems.length > 0 ? (
          <ul className="text-xs text-bad" data-testid={`settings-${section}-problems`} aria-label="Problems to fix before saving">
            {problems.slice(0, 8).map((p) => (
              <li key={p.field + p.message}>
                {p.field}: {p.message}
              </li>
            ))}
          </ul>
        ) : null}
        {view.updatedBy ? (
          <p className="text-xs text-muted">
            Last set by {view.updatedBy}
            {view.updatedAt ? ' on ' : null}
            {view.updatedAt ? <LocalTime iso={view.updatedAt} testId={`settings-${section}-updated-at`} /> : null}
          </p>
        ) : null}
        {canAdminister ? (
          <div className="flex flex-wrap items-center gap-2">
            <Button type="submit" variant="primary" disabled={!dirty || problems.length > 0 || save.isPending}>
              Save {title.toLowerCase()}
            </Button>
            {dirty ? (
              <Button type="button" variant="ghost" onClick={() => setDraft(view.value as T)}>
                Discard changes
              </Button>
            ) : null}
            {view.origin === 'console' ? (
              <Button
                type="button"
                variant="ghost"
                disabled={revert.isPending}
                onClick={() => revert.mutate(undefined, { onSuccess: done('Reverted; the file’s section is in force.') })}
              >
                Revert to file
              </Button>
            ) : null}
            <span role="status" className="text-sm text-ok">
              {saved}
            </span>
          </div>
        ) : (
          <p className="text-xs text-muted">Only an administrator may change settings.</p>
        )}
        <FormError message={failure} />
      </form>
    </Panel>
  );
}
