'use client';

import type { DefenseConfig } from '@/lib/defense/defense-config';
import type { SectionView } from '@/lib/settings/editable-sections';
import { numberOfText, setIn } from './draft';
import { SectionEditor } from './section-editor';
import { SettingInput, SettingSelect } from './setting-field';

const LEVELS = [
  { value: 'medium', label: 'medium' },
  { value: 'high', label: 'high' },
  { value: 'critical', label: 'critical' },
];

/** Each detector's threshold (signals within a window) and the threat level it raises; the rest of the defense section as written. */
export function DetectorsEditor({ view, canAdminister }: { view: SectionView; canAdminister: boolean }) {
  return (
    <SectionEditor<DefenseConfig> view={view} title="Detector thresholds" subtitle="signals within a window that make a threat" canAdminister={canAdminister}>
      {(api) => (
        <div className="flex flex-col gap-3">
          {api.draft.scenarios.map((scenario, at) => (
            <fieldset key={scenario.name} className="grid grid-cols-1 gap-3 rounded-md border border-border p-3 sm:grid-cols-3" data-testid="detector-row">
              <legend className="px-1 font-mono text-xs text-muted">{scenario.name}</legend>
              <SettingInput
                label={`${scenario.name}: signals`}
                inputMode="numeric"
                value={scenario.capacity}
                problem={api.problemAt('scenarios', at, 'capacity')}
                onValue={(v) => api.update(setIn(api.draft, ['scenarios', at, 'capacity'], numberOfText(v)))}
              />
              <SettingInput
                label={`${scenario.name}: within (seconds)`}
                inputMode="numeric"
                value={scenario.windowSeconds}
                problem={api.problemAt('scenarios', at, 'windowSeconds')}
                onValue={(v) => api.update(setIn(api.draft, ['scenarios', at, 'windowSeconds'], numberOfText(v)))}
              />
              <SettingSelect
                label={`${scenario.name}: level`}
                value={scenario.level}
                options={LEVELS}
                onValue={(v) => api.update(setIn(api.draft, ['scenarios', at, 'level'], v))}
              />
            </fieldset>
          ))}
        </div>
      )}
    </SectionEditor>
  );
}
