'use client';

import type { SnapshotsConfig } from '@/lib/config/config-schema';
import type { SectionView } from '@/lib/settings/editable-sections';
import { listOfText, numberOfText, setIn } from './draft';
import { ListEditor } from './list-editor';
import { OffsiteFields } from './offsite-fields';
import { RestoreSafetyFields } from './restore-safety-fields';
import { SectionEditor } from './section-editor';
import { SettingCheckbox, SettingInput, SettingSelect } from './setting-field';

const TAGS = [
  { value: 'scheduled', label: 'scheduled' },
  { value: 'safe', label: 'safe' },
  { value: 'golden', label: 'golden' },
];

/** What a snapshot holds, when one is taken, what runs around a restore, and where encrypted copies go. */
export function SnapshotsEditor({ view, canAdminister }: { view: SectionView; canAdminister: boolean }) {
  return (
    <SectionEditor<SnapshotsConfig>
      view={view}
      title="Snapshot sources and schedule"
      subtitle="what a snapshot holds, how often one is taken, how a restore is checked, where copies go"
      canAdminister={canAdminister}
    >
      {(api) => {
        const { draft } = api;
        return (
          <>
            <ListEditor
              items={draft.sources}
              onChange={(sources) => api.update({ ...draft, sources })}
              readOnly={api.readOnly}
              rowLabel={(source, at) => `source ${source.name || at + 1}`}
              addLabel="Add source"
              newItem={(count) => ({ name: `source-${count + 1}`, path: '', exclude: [] })}
              empty={"No sources: a snapshot holds only Vigil's own state."}
              rowTestId="snapshot-source-row"
            >
              {(source, at) => (
                <>
                  <SettingInput
                    label="Source name"
                    value={source.name}
                    problem={api.problemAt('sources', at, 'name')}
                    onValue={(v) => api.update(setIn(draft, ['sources', at, 'name'], v.trim()))}
                  />
                  <SettingInput
                    label="Path"
                    hint="an absolute path on this host"
                    value={source.path}
                    problem={api.problemAt('sources', at, 'path')}
                    onValue={(v) => api.update(setIn(draft, ['sources', at, 'path'], v.trim()))}
                  />
                  <SettingInput
                    label="Exclude (optional)"
                    hint="patterns, separated by commas"
                    value={source.exclude.join(', ')}
                    problem={api.problemAt('sources', at, 'exclude')}
                    onValue={(v) => api.update(setIn(draft, ['sources', at, 'exclude'], listOfText(v)))}
                  />
                </>
              )}
            </ListEditor>
            <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
              <SettingCheckbox
                label="Take snapshots on a schedule"
                checked={draft.schedule !== null}
                onValue={(on) => api.update({ ...draft, schedule: on ? { everyMinutes: 1440, tag: 'scheduled' } : null })}
              />
              {draft.schedule ? (
                <>
                  <SettingInput
                    label="Every (minutes)"
                    inputMode="numeric"
                    hint="5 minutes to 7 days"
                    value={draft.schedule.everyMinutes}
                    problem={api.problemAt('schedule', 'everyMinutes')}
                    onValue={(v) => api.update(setIn(draft, ['schedule', 'everyMinutes'], numberOfText(v)))}
                  />
                  <SettingSelect label="Tag" value={draft.schedule.tag} options={TAGS} onValue={(v) => api.update(setIn(draft, ['schedule', 'tag'], v))} />
                </>
              ) : null}
              <SettingInput
                label="Keep the last"
                inputMode="numeric"
                value={draft.retention.keepLast}
                problem={api.problemAt('retention', 'keepLast')}
                onValue={(v) => api.update(setIn(draft, ['retention', 'keepLast'], numberOfText(v)))}
              />
            </div>
            <RestoreSafetyFields api={api} />
            <OffsiteFields api={api} />
          </>
        );
      }}
    </SectionEditor>
  );
}
