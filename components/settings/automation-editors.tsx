'use client';

import { SCENARIO_NAMES, type DrillsConfig } from '@/lib/drills/drill-schema';
import type { ForecastConfig } from '@/lib/forecast/forecast-config';
import { GOVERNOR_RULES } from '@/lib/forecast/governor-rules';
import type { SectionView } from '@/lib/settings/editable-sections';
import { numberOfText } from './draft';
import { SectionEditor } from './section-editor';
import { SettingCheckbox, SettingInput } from './setting-field';

/** A set of names as checkboxes, in their declared order, with the schema's message under them. */
function NameChecks<T extends string>({
  legend,
  names,
  chosen,
  problem,
  onChange,
}: {
  legend: string;
  names: readonly T[];
  chosen: readonly T[];
  problem: string | undefined;
  onChange: (next: T[]) => void;
}) {
  return (
    <fieldset className="flex flex-col gap-1 sm:col-span-3">
      <legend className="text-xs font-medium text-muted">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {names.map((name) => (
          <SettingCheckbox
            key={name}
            label={name}
            checked={chosen.includes(name)}
            onValue={(on) => onChange(names.filter((n) => (n === name ? on : chosen.includes(n))))}
          />
        ))}
      </div>
      {problem ? <p className="text-xs text-bad">{problem}</p> : null}
    </fieldset>
  );
}

/** Scheduled chaos drills: how often, which faults, and whether passing ones are injected together. */
export function DrillsEditor({ view, canAdminister }: { view: SectionView; canAdminister: boolean }) {
  return (
    <SectionEditor<DrillsConfig> view={view} title="Drill schedule" subtitle="chaos drills the leader runs on its own" canAdminister={canAdminister}>
      {(api) => (
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <SettingInput
            label="Run every (hours)"
            hint="0: only when started by hand"
            inputMode="decimal"
            value={api.draft.everyHours}
            problem={api.problemAt('everyHours')}
            onValue={(v) => api.update({ ...api.draft, everyHours: numberOfText(v) })}
          />
          <SettingCheckbox
            label="Inject repeatedly passing faults together"
            checked={api.draft.harder}
            onValue={(harder) => api.update({ ...api.draft, harder })}
          />
          <NameChecks
            legend="Scenarios"
            names={SCENARIO_NAMES}
            chosen={api.draft.scenarios}
            problem={api.problemAt('scenarios')}
            onChange={(scenarios) => api.update({ ...api.draft, scenarios })}
          />
        </div>
      )}
    </SectionEditor>
  );
}

/** The risk forecast: how often it is recomputed, how much history the heatmap keeps, what the governor may apply alone. */
export function ForecastEditor({ view, canAdminister }: { view: SectionView; canAdminister: boolean }) {
  return (
    <SectionEditor<ForecastConfig> view={view} title="Risk forecast" subtitle="the heatmap's pace and the governor's policy" canAdminister={canAdminister}>
      {(api) => (
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <SettingInput
            label="Recompute every (seconds)"
            inputMode="numeric"
            value={api.draft.cycleSeconds}
            problem={api.problemAt('cycleSeconds')}
            onValue={(v) => api.update({ ...api.draft, cycleSeconds: numberOfText(v) })}
          />
          <SettingInput
            label="History shown (hours)"
            inputMode="decimal"
            value={api.draft.historyHours}
            problem={api.problemAt('historyHours')}
            onValue={(v) => api.update({ ...api.draft, historyHours: numberOfText(v) })}
          />
          <NameChecks
            legend="Governor rules applied without an operator"
            names={GOVERNOR_RULES}
            chosen={api.draft.autoApply}
            problem={api.problemAt('autoApply')}
            onChange={(autoApply) => api.update({ ...api.draft, autoApply })}
          />
        </div>
      )}
    </SectionEditor>
  );
}
