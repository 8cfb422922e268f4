'use client';

import type { HealthCheckConfig, SnapshotsConfig } from '@/lib/config/snapshots-config';
import { ArgvField } from './argv-field';
import { numberOfText, setIn } from './draft';
import type { EditorApi } from './section-editor';
import { ListButton, SettingInput, SettingSelect } from './setting-field';

type CheckKind = 'http' | 'tcp' | 'command';
const KINDS = [
  { value: 'http', label: 'HTTP answer' },
  { value: 'tcp', label: 'TCP port open' },
  { value: 'command', label: 'Command exits 0' },
];
const kindOf = (check: HealthCheckConfig): CheckKind => ('http' in check ? 'http' : 'tcp' in check ? 'tcp' : 'command');
const blankCheck = (kind: CheckKind): HealthCheckConfig =>
  kind === 'http' ? { http: 'http://127.0.0.1/' } : kind === 'tcp' ? { tcp: '127.0.0.1:80' } : { command: ['true'] };

/** What runs around a restore: the service stopped before files change and started after, then checked before the restore counts. */
export function RestoreSafetyFields({ api }: { api: EditorApi<SnapshotsConfig> }) {
  const { draft } = api;
  const checks = draft.healthGate.checks;
  const setCheck = (at: number, check: HealthCheckConfig) => api.update(setIn(draft, ['healthGate', 'checks', at], check));
  return (
    <div className="flex flex-col gap-3" data-testid="snapshot-restore-safety">
      <h3 className="text-sm font-semibold text-text">Around a restore</h3>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <ArgvField
          label="Stop hook (optional)"
          hint="program, then one argument per line; run without a shell"
          value={draft.hooks.stop}
          problem={api.problemAt('hooks', 'stop')}
          onValue={(argv) => api.update(setIn(draft, ['hooks', 'stop'], argv))}
        />
        <ArgvField
          label="Restart hook (optional)"
          hint="run after the files are back, before the health gate"
          value={draft.hooks.restart}
          problem={api.problemAt('hooks', 'restart')}
          onValue={(argv) => api.update(setIn(draft, ['hooks', 'restart'], argv))}
        />
        <SettingInput
          label="Hook time limit (seconds)"
          inputMode="numeric"
          value={draft.hooks.timeoutSeconds}
          problem={api.problemAt('hooks', 'timeoutSeconds')}
          onValue={(v) => api.update(setIn(draft, ['hooks', 'timeoutSeconds'], numberOfText(v)))}
        />
      </div>
      <p className="text-sm text-muted">
        Health gate: every check must pass after the restart hook, or the restore is rolled back.
        {checks.length === 0 ? ' No checks: a restore counts once its files are written.' : null}
      </p>
      {checks.map((check, at) => {
        const kind = kindOf(check);
        return (
          <div key={at} className="grid grid-cols-1 gap-3 rounded-md border border-border p-3 sm:grid-cols-3" data-testid="health-check-row">
            <SettingSelect label="Check" value={kind} options={KINDS} onValue={(v) => setCheck(at, blankCheck(v as CheckKind))} />
            {'http' in check ? (
              <>
                <SettingInput
                  label="URL"
                  value={check.http}
                  problem={api.problemAt('healthGate', 'checks', at, 'http')}
                  onValue={(v) => setCheck(at, { ...check, http: v.trim() })}
                />
                <SettingInput
                  label="Expected status (optional)"
                  inputMode="numeric"
                  hint="any 2xx or 3xx when empty"
                  value={check.expectStatus}
                  problem={api.problemAt('healthGate', 'checks', at, 'expectStatus')}
                  onValue={(v) => setCheck(at, { http: check.http, ...(v.trim() === '' ? {} : { expectStatus: numberOfText(v) }) })}
                />
              </>
            ) : 'tcp' in check ? (
              <SettingInput
                label="Host and port"
                hint="host:port"
                value={check.tcp}
                problem={api.problemAt('healthGate', 'checks', at, 'tcp')}
                onValue={(v) => setCheck(at, { tcp: v.trim() })}
              />
            ) : (
              <ArgvField
                label="Command"
                hint="program, then one argument per line"
                value={check.command}
                problem={api.problemAt('healthGate', 'checks', at, 'command')}
                onValue={(argv) => setCheck(at, { command: argv ?? [] })}
              />
            )}
            <ListButton
              remove
              label="Remove check"
              readOnly={api.readOnly}
              onClick={() =>
                api.update(
                  setIn(
                    draft,
                    ['healthGate', 'checks'],
                    checks.filter((_, i) => i !== at),
                  ),
                )
              }
            />
          </div>
        );
      })}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <ListButton
          label="Add health check"
          readOnly={api.readOnly}
          onClick={() => api.update(setIn(draft, ['healthGate', 'checks'], [...checks, blankCheck('http')]))}
        />
        <SettingInput
          label="Health gate time limit (seconds)"
          inputMode="numeric"
          value={draft.healthGate.timeoutSeconds}
          problem={api.problemAt('healthGate', 'timeoutSeconds')}
          onValue={(v) => api.update(setIn(draft, ['healthGate', 'timeoutSeconds'], numberOfText(v)))}
        />
      </div>
    </div>
  );
}
