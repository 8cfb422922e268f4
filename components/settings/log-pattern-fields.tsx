'use client';

import type { LogFileConfig, LogsConfig } from '@/lib/config/logs-config';
import { signalKindSchema } from '@/lib/defense/signals';
import { setIn } from './draft';
import type { EditorApi } from './section-editor';
import { ListButton, SettingInput, SettingSelect } from './setting-field';

const KINDS = signalKindSchema.options.map((kind) => ({ value: kind, label: kind }));

/**
 * A log file's own patterns: with the `custom` format the only ones, otherwise added to the
 * preset's. Each regex is checked as typed (it must compile, capture `(?<source>…)` and not nest
 * unbounded repeats); the message shows under the box.
 */
export function LogPatternFields({ api, at }: { api: EditorApi<LogsConfig>; at: number }) {
  const { draft } = api;
  const file: LogFileConfig = draft.files[at];
  const setPatterns = (patterns: LogFileConfig['patterns']) => api.update(setIn(draft, ['files', at, 'patterns'], patterns));
  return (
    <div className="flex flex-col gap-2 sm:col-span-3" data-testid="log-patterns">
      {file.patterns.map((pattern, p) => (
        <div key={p} className="grid grid-cols-1 gap-2 sm:grid-cols-[10rem_1fr_auto] sm:items-start" data-testid="log-pattern-row">
          <SettingSelect
            label="Signal"
            value={pattern.kind}
            options={KINDS}
            onValue={(v) => setPatterns(file.patterns.map((x, i) => (i === p ? { ...x, kind: v as typeof x.kind } : x)))}
          />
          <SettingInput
            label="Pattern (regular expression)"
            hint="must capture the client address as (?<source>…); user, path and status may be captured too"
            className="font-mono"
            spellCheck={false}
            value={pattern.regex}
            problem={api.problemAt('files', at, 'patterns', p, 'regex')}
            onValue={(v) => setPatterns(file.patterns.map((x, i) => (i === p ? { ...x, regex: v } : x)))}
          />
          <div className="sm:pt-6">
            <ListButton remove label="Remove pattern" readOnly={api.readOnly} onClick={() => setPatterns(file.patterns.filter((_, i) => i !== p))} />
          </div>
        </div>
      ))}
      {api.problemAt('files', at, 'patterns') ? <p className="text-xs text-bad">{api.problemAt('files', at, 'patterns')}</p> : null}
      <ListButton
        label="Add pattern"
        readOnly={api.readOnly}
        onClick={() => setPatterns([...file.patterns, { kind: 'auth_failure', regex: 'login failed .* from (?<source>\\S+)' }])}
      />
    </div>
  );
}
