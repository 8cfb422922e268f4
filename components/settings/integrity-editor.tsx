'use client';

import type { IntegrityConfig } from '@/lib/config/integrity-config';
import type { SectionView } from '@/lib/settings/editable-sections';
import { listOfText, setIn } from './draft';
import { ListEditor } from './list-editor';
import { SectionEditor } from './section-editor';
import { SettingCheckbox, SettingInput } from './setting-field';

/** Files and directories whose every change is a finding; critical ones may lock the host down. */
export function IntegrityEditor({ view, canAdminister }: { view: SectionView; canAdminister: boolean }) {
  return (
    <SectionEditor<IntegrityConfig> view={view} title="Integrity paths" subtitle="files whose changes are findings" canAdminister={canAdminister}>
      {(api) => {
        const { draft } = api;
        return (
          <ListEditor
            items={draft.paths}
            onChange={(paths) => api.update({ ...draft, paths })}
            readOnly={api.readOnly}
            rowLabel={(entry, at) => `path ${entry.path || at + 1}`}
            addLabel="Add path"
            newItem={() => ({ path: '', exclude: [], critical: false })}
            empty="No paths watched besides Vigil itself."
            rowTestId="integrity-path-row"
            columns={2}
          >
            {(entry, at) => (
              <>
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
              </>
            )}
          </ListEditor>
        );
      }}
    </SectionEditor>
  );
}
