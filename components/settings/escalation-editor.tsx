'use client';

import type { EscalationPolicy } from '@/lib/healing/escalation';
import type { SectionView } from '@/lib/settings/editable-sections';
import { numberOfText } from './draft';
import { SectionEditor } from './section-editor';
import { SettingInput } from './setting-field';

const STEPS: { key: keyof EscalationPolicy; label: string; hint: string }[] = [
  { key: 'restartAfterMinutes', label: 'Restart after (minutes)', hint: 'level 2: the module is restarted' },
  { key: 'notifyAfterMinutes', label: 'Notify after (minutes)', hint: 'level 3: channels hear of it' },
  { key: 'criticalAfterMinutes', label: 'Critical after (minutes)', hint: 'level 4' },
  { key: 'humanAfterMinutes', label: 'Human after (minutes)', hint: 'level 5: a person must act' },
  { key: 'retriesBeforeRestart', label: 'Retries before a restart', hint: 'failed self-heal retries' },
  { key: 'reminderMinutes', label: 'Remind every (minutes)', hint: '0: no reminders' },
];

/** How long an incident waits at each level before the next. */
export function EscalationEditor({ view, canAdminister }: { view: SectionView; canAdminister: boolean }) {
  return (
    <SectionEditor<EscalationPolicy> view={view} title="Escalation" subtitle="how long an incident waits at each level" canAdminister={canAdminister}>
      {(api) => (
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          {STEPS.map((step) => (
            <SettingInput
              key={step.key}
              label={step.label}
              hint={step.hint}
              inputMode="decimal"
              value={api.draft[step.key]}
              problem={api.problemAt(step.key)}
              onValue={(v) => api.update({ ...api.draft, [step.key]: numberOfText(v) })}
            />
          ))}
        </div>
      )}
    </SectionEditor>
  );
}
