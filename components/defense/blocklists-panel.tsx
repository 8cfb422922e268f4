'use client';

import { canOperate, type Principal } from '@/lib/auth/roles';
import type { BlocklistStatus } from '@/lib/defense/blocklist-api';
import { formatDuration, formatRelative } from '@/lib/format';
import { useBlocklistsQuery, useRefreshBlocklist } from '../queries/use-blocklists-query';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { DataTable, Td, Tr } from '../ui/data-table';
import { Panel } from '../ui/panel';

const count = (n: number) => n.toLocaleString('en');

function NextRefresh({ list, now }: { list: BlocklistStatus; now: number }) {
  if (list.refreshing) return <span className="text-accent">refreshing…</span>;
  if (!list.nextRefreshAt) return <span className="text-faint">—</span>;
  const left = Date.parse(list.nextRefreshAt) - now;
  return <span className="tabular">{left > 0 ? `in ${formatDuration(left / 1000)}` : 'due'}</span>;
}

function ListState({ list }: { list: BlocklistStatus }) {
  if (list.lastError) {
    return (
      <span className="block max-w-[22rem] text-xs text-bad" data-testid="blocklist-error">
        {list.lastError.message}
        {list.lastRefreshAt ? <span className="block text-faint">the previous list stays in force</span> : null}
      </span>
    );
  }
  return list.lastRefreshAt ? <Badge tone="ok">in force</Badge> : <Badge>not read yet</Badge>;
}

/** Imported IP lists (`defense.blocklists`): what each holds, when it was read, and why a read was refused. */
export function BlocklistsPanel({ principal, now, className }: { principal: Principal; now: number; className?: string }) {
  const { data, isError, error } = useBlocklistsQuery();
  const refresh = useRefreshBlocklist();
  const operator = canOperate(principal);
  const lists = data?.blocklists ?? [];
  const columns = ['List', { label: 'Entries', align: 'right' as const }, { label: 'Intervals', align: 'right' as const }, { label: 'Excluded', align: 'right' as const }, 'Last refresh', 'Next refresh', 'State', ...(operator ? [''] : [])];
  const empty = isError ? <span className="text-bad">Could not load the blocklists: {error.message}</span> : !data ? 'Loading…' : lists.length === 0 ? 'No blocklist is configured: add defense.blocklists to vigil.config.yaml.' : null;
  return (
    <Panel title="Blocklists" subtitle={`${lists.length} imported ${lists.length === 1 ? 'list' : 'lists'}, enforced by the guard and sent to bouncers`} className={className} testId="panel-blocklists">
      <DataTable columns={columns} className="min-w-[820px] text-sm" testId="blocklist-table" empty={empty}>
        {lists.map((list) => (
          <Tr key={list.name}>
            <Td className="max-w-[16rem]" data-testid="blocklist-name">
              <span className="font-medium">{list.name}</span>
              <span className="block truncate font-mono text-xs text-faint" title={list.source}>
                {list.source}
              </span>
            </Td>
            <Td className="text-right tabular" data-testid="blocklist-entries">
              {count(list.entries)}
            </Td>
            <Td className="text-right tabular" data-testid="blocklist-intervals">
              {count(list.intervals)}
            </Td>
            <Td className="text-right tabular" title="entries touching the allowlist, loopback or a trusted proxy: those addresses are never blocked">
              {count(list.excluded)}
            </Td>
            <Td className="whitespace-nowrap text-xs">{list.lastRefreshAt ? formatRelative(list.lastRefreshAt, now) : <span className="text-faint">never</span>}</Td>
            <Td className="whitespace-nowrap text-xs">
              <NextRefresh list={list} now={now} />
            </Td>
            <Td>
              <ListState list={list} />
            </Td>
            {operator ? (
              <Td className="text-right">
                <Button className="h-7 px-2 text-xs" disabled={list.refreshing || (refresh.isPending && refresh.variables?.name === list.name)} onClick={() => refresh.mutate({ name: list.name })} data-testid="blocklist-refresh">
                  Refresh now
                </Button>
              </Td>
            ) : null}
          </Tr>
        ))}
      </DataTable>
      {refresh.error ? <p className="mt-2 text-sm text-bad">{refresh.error.message}</p> : null}
    </Panel>
  );
}
