'use client';

import type { IntegrityConfig } from '@/lib/config/integrity-config';
import type { SectionView } from '@/lib/settings/editable-sections';
import { listOfText, setIn } from './draft';
import { SectionEditor } from './section-editor';
import { ListButton, SettingCheckbox, SettingInput } from './setting-field';

/** Files and directories whose every change is a finding; critical ones may lock the host down. */
export function IntegrityEditor({ view, canAdminister }: { view: SectionView; canAdminister: boolean }) {
  return (
    <SectionEditor<IntegrityConfig> view={view} title="Integrity paths" subtitle="files whose changes are findings" canAdminister={canAdminister}>
      {(api) => {
        const { draft } = api;
        return (
          <>
            {draft.paths.length === 0 ? <p className="text-sm text-muted">No paths watched besides Vigil itself.</p> : null}
            {draft.paths.map((entry, at) => (
              <div key={at} className="grid grid-cols-1 gap-3 rounded-md border border-border p-3 sm:grid-cols-2" data-testid="integrity-path-row">
                <SettingInput
                  label="Path"
                  hint="a file or directory; may end in a glob"
                  value={entry.path}
                  problem={api.problemAt('paths', at, 'path')}
                  onValue={(v) => api.update(setIn(draft, ['paths', at, 'path'], v.trim()))}
                />
                <SettingInput
                  label="Exclude (optional)"
                  hint="patterns, separated by commas"
                  value={entry.exclude.join(', ')}
                  onValue={(v) => api.update(setIn(draft, ['paths', at, 'exclude'], listOfText(v)))}
                />
                <SettingCheckbox
                  label="Critical: tampering may start a lockdown"
                  checked={entry.critical}
                  onValue={(on) => api.update(setIn(draft, ['paths', at, 'critical'], on))}
                />
                <ListButton
                  remove
                  label="Remove path"
                  readOnly={api.readOnly}
                  onClick={() => api.update({ ...draft, paths: draft.paths.filter((_, i) => i !== at) })}
                />
              </div>
            ))}
            <ListButton
              label="Add path"
              readOnly={api.readOnly}
              onClick={() => api.update({ ...draft, paths: [...draft.paths, { path: '', exclude: [], critical: false }] })}
            />
          </>
        );
      }}
    </SectionEditor>
  );
}
