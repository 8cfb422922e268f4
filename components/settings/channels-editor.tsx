'use client';

import { useState } from 'react';
import type { NotificationsConfig } from '@/lib/config/notifications-config';
import type { SectionView } from '@/lib/settings/editable-sections';
import { Button } from '../ui/button';
import { setIn } from './draft';
import { ChannelDeliveryFields } from './channel-delivery-fields';
import { ChannelKindFields } from './channel-kind-fields';
import { blankChannel, CHANNEL_KINDS, type Channel } from './channel-kinds';
import { ListEditor } from './list-editor';
import { SectionEditor } from './section-editor';
import { SettingInput, SettingSelect } from './setting-field';
import { useChannelTest, type ChannelTestResult } from './settings-queries';

const LEVELS = [
  { value: '3', label: 'Level 3: notify' },
  { value: '4', label: 'Level 4: critical' },
  { value: '5', label: 'Level 5: human' },
];

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
            <ListEditor
              items={channels}
              onChange={(next) => api.update({ ...api.draft, channels: next as never })}
              readOnly={api.readOnly}
              rowLabel={(channel) => channel.name || 'channel'}
              addLabel="Add channel"
              newItem={(count) => blankChannel('webhook', `channel-${count + 1}`)}
              empty="No channels yet: nobody hears about incidents."
              rowTestId="channel-row"
              columns={2}
              actions={(channel) => (canOperate ? <TestButton name={channel.name} disabled={api.dirty || !inForce.has(channel.name)} /> : null)}
            >
              {(channel, at) => (
                <>
                  <SettingInput
                    label="Name"
                    value={channel.name}
                    problem={api.problemAt('channels', at, 'name')}
                    onValue={(v) => api.update(setIn(api.draft, ['channels', at, 'name'], v.trim()))}
                  />
                  <SettingSelect
                    label="Kind"
                    value={channel.kind}
                    options={
                      CHANNEL_KINDS.some((k) => k.value === channel.kind) ? CHANNEL_KINDS : [...CHANNEL_KINDS, { value: channel.kind, label: channel.kind }]
                    }
                    onValue={(kind) => api.update(setIn(api.draft, ['channels', at], blankChannel(kind, channel.name)))}
                  />
                  <ChannelKindFields channel={channel} at={at} api={api} />
                  <SettingSelect
                    label="Incidents from"
                    value={String(channel.minLevel ?? 3)}
                    options={LEVELS}
                    onValue={(v) => api.update(setIn(api.draft, ['channels', at, 'minLevel'], Number(v)))}
                  />
                  <ChannelDeliveryFields
                    channel={channel}
                    set={(key, value) => api.update(setIn(api.draft, ['channels', at, ...key], value))}
                    problem={(...key) => api.problemAt('channels', at, ...key)}
                  />
                </>
              )}
            </ListEditor>
            {api.dirty && !api.readOnly ? <p className="text-xs text-muted">Save to put changes in force; a test goes through the saved channel.</p> : null}
          </>
        );
      }}
    </SectionEditor>
  );
}
