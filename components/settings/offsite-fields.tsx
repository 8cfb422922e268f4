'use client';

import type { OffsiteRepositoryConfig } from '@/lib/config/offsite-config';
import type { SnapshotsConfig } from '@/lib/config/snapshots-config';
import { numberOfText, setIn } from './draft';
import type { EditorApi } from './section-editor';
import { ListButton, SettingInput, SettingSelect } from './setting-field';

const PASSWORD_FROM = [
  { value: 'file', label: 'a file on this host' },
  { value: 'env', label: 'an environment variable' },
];
const KEEP = ['last', 'daily', 'weekly', 'monthly'] as const;

/** An emptied optional number leaves the key out, so the schema's default (or "no retention") applies. */
const optionalNumber = (text: string): number | undefined => (text.trim() === '' ? undefined : numberOfText(text));

function withKeep(repo: OffsiteRepositoryConfig, key: (typeof KEEP)[number], text: string): OffsiteRepositoryConfig {
  const keep: Record<string, number | undefined> = { ...repo.keep, [key]: optionalNumber(text) };
  for (const name of Object.keys(keep)) if (keep[name] === undefined) delete keep[name];
  const { keep: _dropped, ...rest } = repo;
  return Object.keys(keep).length > 0 ? { ...rest, keep: keep as OffsiteRepositoryConfig['keep'] } : rest;
}

/**
 * restic repositories that hold encrypted copies of the snapshots. The console only ever holds
 * where the password is (a file path or a variable name), never the password itself.
 */
export function OffsiteFields({ api }: { api: EditorApi<SnapshotsConfig> }) {
  const { draft } = api;
  const repos = draft.offsite;
  const setRepo = (at: number, repo: OffsiteRepositoryConfig) => api.update(setIn(draft, ['offsite', at], repo));
  const problem = (at: number, ...path: string[]) => api.problemAt('offsite', at, ...path);
  return (
    <div className="flex flex-col gap-3" data-testid="snapshot-offsite">
      <h3 className="text-sm font-semibold text-text">Off-site copies (restic)</h3>
      {repos.length === 0 ? <p className="text-sm text-muted">No off-site repository: snapshots live only on this host.</p> : null}
      {api.problemAt('offsite') ? <p className="text-xs text-bad">{api.problemAt('offsite')}</p> : null}
      {repos.map((repo, at) => {
        const from = repo.passwordEnv !== undefined ? 'env' : 'file';
        return (
          <div key={at} className="grid grid-cols-1 gap-3 rounded-md border border-border p-3 sm:grid-cols-3" data-testid="offsite-repo-row">
            <SettingInput label="Repository name" value={repo.name} problem={problem(at, 'name')} onValue={(v) => setRepo(at, { ...repo, name: v.trim() })} />
            <SettingInput
              label="Repository"
              hint="as restic writes it: /srv/restic, sftp:user@host:/path, s3:…"
              value={repo.repository}
              problem={problem(at, 'repository')}
              onValue={(v) => setRepo(at, { ...repo, repository: v.trim() })}
            />
            <SettingSelect
              label="Password from"
              value={from}
              options={PASSWORD_FROM}
              onValue={(v) => {
                const { passwordFile: _file, passwordEnv: _env, ...rest } = repo;
                setRepo(at, v === 'env' ? { ...rest, passwordEnv: '' } : { ...rest, passwordFile: '' });
              }}
            />
            {from === 'env' ? (
              <SettingInput
                label="Password variable"
                hint="the name of a variable the worker is started with"
                value={repo.passwordEnv}
                problem={problem(at, 'passwordEnv')}
                onValue={(v) => setRepo(at, { ...repo, passwordEnv: v.trim() })}
              />
            ) : (
              <SettingInput
                label="Password file"
                hint="an absolute path; the password itself never goes in the console"
                value={repo.passwordFile}
                problem={problem(at, 'passwordFile')}
                onValue={(v) => setRepo(at, { ...repo, passwordFile: v.trim() })}
              />
            )}
            <SettingInput
              label="Copy every (hours, optional)"
              inputMode="decimal"
              hint="golden snapshots are copied at once"
              value={repo.schedule.copyEveryHours}
              problem={problem(at, 'schedule', 'copyEveryHours')}
              onValue={(v) => setRepo(at, setIn(repo, ['schedule', 'copyEveryHours'], optionalNumber(v)))}
            />
            <SettingInput
              label="Check every (hours)"
              inputMode="decimal"
              value={repo.schedule.checkEveryHours}
              problem={problem(at, 'schedule', 'checkEveryHours')}
              onValue={(v) => setRepo(at, setIn(repo, ['schedule', 'checkEveryHours'], numberOfText(v)))}
            />
            <SettingInput
              label="Data read per check"
              hint='"5%" or "1/10"'
              value={repo.schedule.readDataSubset}
              problem={problem(at, 'schedule', 'readDataSubset')}
              onValue={(v) => setRepo(at, setIn(repo, ['schedule', 'readDataSubset'], v.trim()))}
            />
            <fieldset className="grid grid-cols-2 gap-2 sm:col-span-2 sm:grid-cols-4">
              <legend className="mb-1 text-sm font-medium text-muted">Retention (restic forget --keep-…), optional</legend>
              {KEEP.map((key) => (
                <SettingInput
                  key={key}
                  label={`Keep ${key}`}
                  inputMode="numeric"
                  value={repo.keep?.[key]}
                  onValue={(v) => setRepo(at, withKeep(repo, key, v))}
                />
              ))}
              {problem(at, 'keep') ? <p className="col-span-full text-xs text-bad">{problem(at, 'keep')}</p> : null}
            </fieldset>
            <ListButton
              remove
              label={`Remove repository ${repo.name}`}
              readOnly={api.readOnly}
              onClick={() =>
                api.update(
                  setIn(
                    draft,
                    ['offsite'],
                    repos.filter((_, i) => i !== at),
                  ),
                )
              }
            />
          </div>
        );
      })}
      <ListButton
        label="Add off-site repository"
        readOnly={api.readOnly}
        onClick={() =>
          api.update(
            setIn(
              draft,
              ['offsite'],
              [
                ...repos,
                { name: `offsite-${repos.length + 1}`, repository: '', passwordFile: '', options: {}, schedule: { checkEveryHours: 24, readDataSubset: '5%' } },
              ],
            ),
          )
        }
      />
    </div>
  );
}
