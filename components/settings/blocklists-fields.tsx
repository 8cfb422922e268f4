'use client';

import type { BlocklistSource } from '@/lib/defense/blocklist-config';
import type { DefenseConfig } from '@/lib/defense/defense-config';
import { numberOfText, setIn } from './draft';
import { ListEditor } from './list-editor';
import type { EditorApi } from './section-editor';
import { SettingInput, SettingSelect } from './setting-field';

const FROM = [
  { value: 'url', label: 'a URL (http or https)' },
  { value: 'path', label: 'a file on this host' },
];

/**
 * Imported lists: `{ name, url | path, refreshMinutes }`. The schema checks the shape as typed;
 * on Save the worker reads each new list once and refuses one it cannot read or that covers
 * loopback, the allowlist or a trusted proxy.
 */
export function BlocklistsFields({ api }: { api: EditorApi<DefenseConfig> }) {
  const { draft } = api;
  const set = (at: number, key: string, value: unknown) => api.update(setIn(draft, ['blocklists', at, key], value));
  return (
    <ListEditor<BlocklistSource>
      items={draft.blocklists}
      onChange={(blocklists) => api.update({ ...draft, blocklists })}
      readOnly={api.readOnly}
      rowLabel={(list, at) => `blocklist ${list.name || at + 1}`}
      addLabel="Add blocklist"
      newItem={(count) => ({ name: `list-${count + 1}`, url: '', refreshMinutes: 60 })}
      empty="No blocklists imported."
      rowTestId="blocklist-row"
      columns={2}
    >
      {(list, at) => {
        const from = list.path !== undefined ? 'path' : 'url';
        return (
          <>
            <SettingInput
              label="List name"
              hint="lowercase letters, digits, _ and -"
              value={list.name}
              problem={api.problemAt('blocklists', at, 'name')}
              onValue={(v) => set(at, 'name', v.trim())}
            />
            <SettingSelect
              label="Read from"
              value={from}
              options={FROM}
              onValue={(v) => api.update(setIn(draft, ['blocklists', at], { name: list.name, refreshMinutes: list.refreshMinutes, [v]: '' }))}
            />
            <SettingInput
              label={from === 'url' ? 'List URL' : 'List file'}
              hint={from === 'url' ? 'plain addresses, CIDR ranges or a FireHOL .netset' : 'an absolute path'}
              value={(from === 'url' ? list.url : list.path) ?? ''}
              problem={api.problemAt('blocklists', at, from) ?? api.problemAt('blocklists', at)}
              onValue={(v) => set(at, from, v.trim())}
            />
            <SettingInput
              label="Refresh every (minutes)"
              inputMode="numeric"
              value={list.refreshMinutes}
              problem={api.problemAt('blocklists', at, 'refreshMinutes')}
              onValue={(v) => set(at, 'refreshMinutes', numberOfText(v))}
            />
          </>
        );
      }}
    </ListEditor>
  );
}
