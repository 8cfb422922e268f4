'use client';

import { useState } from 'react';
import type { NotificationsConfig } from '@/lib/config/notifications-config';
import type { SectionView } from '@/lib/settings/editable-sections';
import { Button } from '../ui/button';
import { listOfText, numberOfText, setIn } from './draft';
import { SectionEditor, type EditorApi } from './section-editor';
import { ListButton, SettingInput, SettingSelect } from './setting-field';
import { useChannelTest, type ChannelTestResult } from './settings-queries';

type Channel = Record<string, unknown> & { name: string; kind: string };

/** Kinds whose fields this form knows; a channel of another kind (from the file) is kept as it is. */
const KINDS = [
  { value: 'webhook', label: 'Webhook' },
  { value: 'slack', label: 'Slack (or compatible)' },
  { value: 'discord', label: 'Discord' },
  { value: 'teams', label: 'Microsoft Teams' },
  { value: 'ntfy', label: 'ntfy' },
  { value: 'email', label: 'Email (SMTP)' },
] as const;
const LEVELS = [
  { value: '3', label: 'Level 3: notify' },
  { value: '4', label: 'Level 4: critical' },
  { value: '5', label: 'Level 5: human' },
];

const blankChannel = (kind: string, name: string): Channel => {
  const common = { name, minLevel: 3, timeoutSeconds: 10, retries: 3, queueSize: 100 };
  if (kind === 'email') return { ...common, kind, host: '', port: 587, security: 'starttls', rejectUnauthorized: true, from: '', to: [] };
  if (kind === 'ntfy') return { ...common, kind, url: 'https://ntfy.sh', topic: '' };
  if (kind === 'webhook') return { ...common, kind, url: '', headers: {} };
  return { ...common, kind, url: '' };
};

function KindFields({ channel, at, api }: { channel: Channel; at: number; api: EditorApi<NotificationsConfig> }) {
  const set = (key: (string | number)[], value: unknown) => api.update(setIn(api.draft, ['channels', at, ...key], value));
  const problem = (...key: string[]) => api.problemAt('channels', at, ...key);
  const text = (key: string) => (typeof channel[key] === 'string' ? (channel[key] as string) : '');
  if (channel.kind === 'email') {
    const auth = channel.auth as { user?: string; password?: string } | undefined;
    return (
      <>
        <SettingInput label="SMTP host" value={text('host')} problem={problem('host')} onValue={(v) => set(['host'], v)} />
        <SettingInput
          label="Port"
          inputMode="numeric"
          value={channel.port as number}
          problem={problem('port')}
          onValue={(v) => set(['port'], numberOfText(v))}
        />
        <SettingInput label="From" type="email" value={text('from')} problem={problem('from')} onValue={(v) => set(['from'], v)} />
        <SettingInput
          label="To"
          hint="addresses, separated by commas"
          value={((channel.to as string[]) ?? []).join(', ')}
          problem={problem('to') ?? problem('to', '0')}
          onValue={(v) => set(['to'], listOfText(v))}
        />
        <SettingInput
          label="SMTP user (optional)"
          value={auth?.user ?? ''}
          onValue={(v) => set(['auth'], v ? { user: v, password: auth?.password ?? '' } : undefined)}
        />
        <SettingInput
          label="SMTP password"
          type="password"
          autoComplete="new-password"
          hint="stored sealed; shown masked"
          value={auth?.password ?? ''}
          problem={problem('auth', 'password')}
          onValue={(v) => set(['auth'], { user: auth?.user ?? '', password: v })}
        />
      </>
    );
  }
  if (!KINDS.some((kind) => kind.value === channel.kind))
    return <p className="text-sm text-muted">A {channel.kind} channel: kept as written; change it in the file.</p>;
  return (
    <>
      <SettingInput
        label={channel.kind === 'ntfy' ? 'Server URL' : 'URL'}
        hint={channel.kind === 'ntfy' ? undefined : 'its path is a secret: stored sealed, shown masked'}
        value={text('url')}
        problem={problem('url')}
        onValue={(v) => set(['url'], v.trim())}
      />
      {channel.kind === 'ntfy' ? <SettingInput label="Topic" value={text('topic')} problem={problem('topic')} onValue={(v) => set(['topic'], v)} /> : null}
      {channel.kind === 'webhook' ? (
        <SettingInput
          label="Signing secret (optional)"
          type="password"
          autoComplete="new-password"
          hint="signs each body (X-Vigil-Signature)"
          value={text('secret')}
          problem={problem('secret')}
          onValue={(v) => set(['secret'], v === '' ? undefined : v)}
        />
      ) : null}
    </>
  );
}

function TestButton({ name, disabled }: { name: string; disabled: boolean }) {
  const test = useChannelTest();
  const [result, setResult] = useState<ChannelTestResult | null>(null);
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Button type="button" className="h-8 text-xs" disabled={disabled || test.isPending} onClick={() => test.mutate(name, { onSuccess: setResult })}>
        {test.isPending ? 'Sending…' : 'Send test'}
      </Button>
      <span role="status" data-testid="channel-test-result" className={result?.code === 'sent' ? 'text-sm text-ok' : 'text-sm text-bad'}>
        {test.error
          ? test.error.message
          : result
            ? result.code === 'sent'
              ? `Delivered (${result.attempts} attempt${result.attempts === 1 ? '' : 's'})`
              : `Failed: ${result.error ?? 'no answer'}`
            : null}
      </span>
    </span>
  );
}

/** Notification channels: where incidents and alerts are sent, each with a "Send test" through the channel in force. */
export function ChannelsEditor({ view, canAdminister, canOperate }: { view: SectionView; canAdminister: boolean; canOperate: boolean }) {
  return (
    <SectionEditor<NotificationsConfig> view={view} title="Notification channels" subtitle="where incidents and alerts are sent" canAdminister={canAdminister}>
      {(api) => {
        const channels = api.draft.channels as unknown as Channel[];
        const inForce = new Set(((view.value as NotificationsConfig).channels ?? []).map((c) => c.name));
        return (
          <>
            {channels.length === 0 ? <p className="text-sm text-muted">No channels yet: nobody hears about incidents.</p> : null}
            {channels.map((channel, at) => (
              <div key={at} className="grid grid-cols-1 gap-3 rounded-md border border-border p-3 sm:grid-cols-2" data-testid="channel-row">
                <SettingInput
                  label="Name"
                  value={channel.name}
                  problem={api.problemAt('channels', at, 'name')}
                  onValue={(v) => api.update(setIn(api.draft, ['channels', at, 'name'], v.trim()))}
                />
                <SettingSelect
                  label="Kind"
                  value={channel.kind}
                  options={KINDS.some((k) => k.value === channel.kind) ? KINDS : [...KINDS, { value: channel.kind, label: channel.kind }]}
                  onValue={(kind) => api.update(setIn(api.draft, ['channels', at], blankChannel(kind, channel.name)))}
                />
                <KindFields channel={channel} at={at} api={api} />
                <SettingSelect
                  label="Incidents from"
                  value={String(channel.minLevel ?? 3)}
                  options={LEVELS}
                  onValue={(v) => api.update(setIn(api.draft, ['channels', at, 'minLevel'], Number(v)))}
                />
                <div className="flex flex-wrap items-end gap-2 sm:col-span-2">
                  {canOperate ? <TestButton name={channel.name} disabled={api.dirty || !inForce.has(channel.name)} /> : null}
                  {api.readOnly ? null : (
                    <Button
                      type="button"
                      variant="ghost-danger"
                      className="h-8 text-xs"
                      onClick={() => api.update({ ...api.draft, channels: api.draft.channels.filter((_, i) => i !== at) })}
                    >
                      Remove {channel.name || 'channel'}
                    </Button>
                  )}
                </div>
              </div>
            ))}
            <ListButton
              label="Add channel"
              readOnly={api.readOnly}
              onClick={() =>
                api.update({ ...api.draft, channels: [...api.draft.channels, blankChannel('webhook', `channel-${channels.length + 1}`) as never] })
              }
            />
            {api.dirty && !api.readOnly ? <p className="text-xs text-muted">Save to put changes in force; a test goes through the saved channel.</p> : null}
          </>
        );
      }}
    </SectionEditor>
  );
}
