'use client';

import { LOG_FORMATS, type LogsConfig } from '@/lib/config/logs-config';
import type { SectionView } from '@/lib/settings/editable-sections';
import { setIn } from './draft';
import { LogPatternFields } from './log-pattern-fields';
import { ListEditor } from './list-editor';
import { SectionEditor } from './section-editor';
import { SettingCheckbox, SettingInput, SettingSelect } from './setting-field';

const FORMATS = LOG_FORMATS.map((format) => ({ value: format, label: format }));

/** Log files the defense reads for failed logins, scans and errors, with their own patterns where the presets fall short. */
export function LogsEditor({ view, canAdminister }: { view: SectionView; canAdminister: boolean }) {
  return (
    <SectionEditor<LogsConfig> view={view} title="Log sources" subtitle="files the defense reads for attacks" canAdminister={canAdminister}>
      {(api) => {
        const { draft } = api;
        return (
          <>
            <ListEditor
              items={draft.files}
              onChange={(files) => api.update({ ...draft, files })}
              readOnly={api.readOnly}
              rowLabel={(file, at) => `log file ${file.path || at + 1}`}
              addLabel="Add log file"
              newItem={() => ({ path: '', format: 'combined' as const, patterns: [], fromStart: false })}
              empty="No log files read."
              rowTestId="log-file-row"
            >
              {(file, at) => (
                <>
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
                </>
              )}
            </ListEditor>
          </>
        );
      }}
    </SectionEditor>
  );
}
