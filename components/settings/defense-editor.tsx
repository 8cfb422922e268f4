'use client';

import type { ReactNode } from 'react';
import type { DefenseConfig } from '@/lib/defense/defense-config';
import type { SectionView } from '@/lib/settings/editable-sections';
import { BlocklistsFields } from './blocklists-fields';
import { numberOfText, setIn } from './draft';
import { SectionEditor, type EditorApi } from './section-editor';
import { SettingInput, SettingSelect } from './setting-field';

type Api = EditorApi<DefenseConfig>;

const LEVELS = [
  { value: 'medium', label: 'medium' },
  { value: 'high', label: 'high' },
  { value: 'critical', label: 'critical' },
];

/** One part of the defense section under its own heading. */
function Group({ title, hint, children }: { title: string; hint: string; children: ReactNode }) {
  return (
    <fieldset className="flex min-w-0 flex-col gap-3 border-t border-border pt-3">
      <legend className="pr-2 text-sm font-semibold text-text">{title}</legend>
      <p className="text-xs text-muted">{hint}</p>
      {children}
    </fieldset>
  );
}

/** A number box for `path` under the section, its schema message beneath it. */
function NumberField({ api, path, label, hint }: { api: Api; path: (string | number)[]; label: string; hint?: string }) {
  const value = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], api.draft) as number;
  return (
    <SettingInput
      label={label}
      hint={hint}
      inputMode="decimal"
      value={value}
      problem={api.problemAt(...path)}
      onValue={(v) => api.update(setIn(api.draft, path, numberOfText(v)))}
    />
  );
}

function DetectorFields({ api }: { api: Api }) {
  return (
    <div className="flex flex-col gap-3">
      {api.draft.scenarios.map((scenario, at) => (
        <fieldset key={scenario.name} className="grid min-w-0 grid-cols-1 gap-3 rounded-md border border-border p-3 sm:grid-cols-3" data-testid="detector-row">
          <legend className="px-1 font-mono text-xs text-muted">{scenario.name}</legend>
          <NumberField api={api} path={['scenarios', at, 'capacity']} label={`${scenario.name}: signals`} />
          <NumberField api={api} path={['scenarios', at, 'windowSeconds']} label={`${scenario.name}: within (seconds)`} />
          <SettingSelect
            label={`${scenario.name}: level`}
            value={scenario.level}
            options={LEVELS}
            onValue={(v) => api.update(setIn(api.draft, ['scenarios', at, 'level'], v))}
          />
        </fieldset>
      ))}
    </div>
  );
}

/**
 * The defense section: detector thresholds, how long automatic isolations last, when the mode
 * rises to ELEVATED, and imported blocklists. One section in the file, so one draft and one Save
 * here: two forms over the same section would each save the other's part as it was.
 */
export function DefenseEditor({ view, canAdminister }: { view: SectionView; canAdminister: boolean }) {
  return (
    <SectionEditor<DefenseConfig>
      view={view}
      title="Defense"
      subtitle="detector thresholds, isolations, elevated mode and blocklists"
      canAdminister={canAdminister}
    >
      {(api) => (
        <>
          <Group title="Detector thresholds" hint="signals within a window that make a threat">
            <DetectorFields api={api} />
          </Group>
          <Group title="Isolation" hint="how long a source is isolated automatically: the first time, then longer each repeat">
            <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
              <NumberField api={api} path={['isolation', 'baseHours']} label="First isolation (hours)" />
              <NumberField api={api} path={['isolation', 'factor']} label="Each repeat multiplies by" hint="1 to 10" />
              <NumberField api={api} path={['isolation', 'maxHours']} label="Longest isolation (hours)" />
              <NumberField
                api={api}
                path={['isolation', 'widestOperatorPrefix', 'ipv4']}
                label="Widest IPv4 range an operator may isolate (prefix)"
                hint="broader needs an admin"
              />
              <NumberField
                api={api}
                path={['isolation', 'widestOperatorPrefix', 'ipv6']}
                label="Widest IPv6 range an operator may isolate (prefix)"
                hint="broader needs an admin"
              />
            </div>
          </Group>
          <Group title="Elevated mode" hint="when many threats arrive at once the thresholds tighten, until it is calm again">
            <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
              <NumberField api={api} path={['elevated', 'threats']} label="High or critical threats" />
              <NumberField api={api} path={['elevated', 'windowMinutes']} label="Within (minutes)" />
              <NumberField api={api} path={['elevated', 'capacityFactor']} label="Thresholds multiplied by" hint="above 0, at most 1" />
              <NumberField api={api} path={['elevated', 'calmMinutes']} label="Back to normal after calm (minutes)" />
            </div>
          </Group>
          <Group title="Blocklists" hint="lists of addresses refused at the guard, read from a URL or a file and refreshed on a schedule">
            <BlocklistsFields api={api} />
          </Group>
        </>
      )}
    </SectionEditor>
  );
}
