'use client';

import { LOG_FORMATS, type LogsConfig } from '@/lib/config/logs-config';
import type { SectionView } from '@/lib/settings/editable-sections';
import { setIn } from './draft';
import { LogPatternFields } from './log-pattern-fields';
import { SectionEditor } from './section-editor';
import { ListButton, SettingCheckbox, SettingInput, SettingSelect } from './setting-field';

const FORMATS = LOG_FORMATS.map((format) => ({ value: format, label: format }));

/** Log files the defense reads for failed logins, scans and errors, with their own patterns where the presets fall short. */
export function LogsEditor({ view, canAdminister }: { view: SectionView; canAdminister: boolean }) {
  return (
    <SectionEditor<LogsConfig> view={view} title="Log sources" subtitle="files the defense reads for attacks" canAdminister={canAdminister}>
      {(api) => {
        const { draft } = api;
        return (
          <>
            {draft.files.length === 0 ? <p className="text-sm text-muted">No log files read.</p> : null}
            {draft.files.map((file, at) => (
              <div key={at} className="grid grid-cols-1 gap-3 rounded-md border border-border p-3 sm:grid-cols-3" data-testid="log-file-row">
                <SettingInput
                  label="Log file"
                  hint="an absolute path"
                  value={file.path}
                  problem={api.problemAt('files', at, 'path')}
                  onValue={(v) => api.update(setIn(draft, ['files', at, 'path'], v.trim()))}
                />
                <SettingSelect label="Format" value={file.format} options={FORMATS} onValue={(v) => api.update(setIn(draft, ['files', at, 'format'], v))} />
                <SettingCheckbox
                  label="Read what it already holds"
                  checked={file.fromStart}
                  onValue={(on) => api.update(setIn(draft, ['files', at, 'fromStart'], on))}
                />
                <LogPatternFields api={api} at={at} />
                <ListButton
                  remove
                  label="Remove log file"
                  readOnly={api.readOnly}
                  onClick={() => api.update({ ...draft, files: draft.files.filter((_, i) => i !== at) })}
                />
              </div>
            ))}
            <ListButton
              label="Add log file"
              readOnly={api.readOnly}
              onClick={() => api.update({ ...draft, files: [...draft.files, { path: '', format: 'combined', patterns: [], fromStart: false }] })}
            />
          </>
        );
      }}
    </SectionEditor>
  );
}
