'use client';

import { canOperate, type Principal } from '@/lib/auth/roles';
import type { BlocklistStatus } from '@/lib/defense/blocklist-api';
import { formatDuration, formatRelative } from '@/lib/format';
import { useBlocklistsQuery, useRefreshBlocklist } from '../queries/use-blocklists-query';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { Fact } from '../ui/fact';
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
      <span className="block text-xs text-bad" data-testid="blocklist-error">
        {list.lastError.message}
        {list.lastRefreshAt ? <span className="block text-faint">the previous list stays in force</span> : null}
      </span>
    );
  }
  return list.lastRefreshAt ? <Badge tone="ok">in force</Badge> : <Badge>not read yet</Badge>;
}

/**
 * Imported IP lists (`defense.blocklists`): what each holds, when it was read, and why a read was
 * refused. One card per list rather than a table: the error text and the source need the width a
 * phone does not have for eight columns.
 */
export function BlocklistsPanel({ principal, now, className }: { principal: Principal; now: number; className?: string }) {
  const { data, isError, error } = useBlocklistsQuery();
  const refresh = useRefreshBlocklist();
  const operator = canOperate(principal);
  const lists = data?.blocklists ?? [];
  return (
    <Panel
      title="Blocklists"
      subtitle={`${lists.length} imported ${lists.length === 1 ? 'list' : 'lists'}, enforced by the guard and sent to bouncers`}
      className={className}
      testId="panel-blocklists"
    >
      {isError ? <p className="text-sm text-bad">Could not load the blocklists: {error.message}</p> : null}
      {data && lists.length === 0 ? (
        <EmptyState title="No blocklist is configured">Add defense.blocklists to vigil.config.yaml to import IP lists.</EmptyState>
      ) : null}
      <ul className="-mx-4 -my-4 divide-y divide-border" data-testid="blocklist-list">
        {lists.map((list) => (
          <li key={list.name} className="flex flex-col gap-3 px-4 py-3 lg:flex-row lg:items-center lg:gap-6" data-testid="blocklist" data-name={list.name}>
            <div className="min-w-0 lg:w-64 lg:shrink-0">
              <span className="font-medium" data-testid="blocklist-name">
                {list.name}
              </span>
              <span className="block truncate font-mono text-xs text-faint" title={list.source}>
                {list.source}
              </span>
            </div>
            <dl className="grid grid-cols-3 gap-x-4 gap-y-2 sm:grid-cols-5 lg:shrink-0">
              <Fact label="Entries" value={count(list.entries)} testId="blocklist-entries" />
              <Fact label="Intervals" value={count(list.intervals)} testId="blocklist-intervals" />
              <Fact
                label="Excluded"
                value={
                  <span title="entries touching the allowlist, loopback or a trusted proxy: those addresses are never blocked">{count(list.excluded)}</span>
                }
              />
              <Fact
                label="Last refresh"
                value={list.lastRefreshAt ? formatRelative(list.lastRefreshAt, now) : <span className="text-faint">never</span>}
                className="whitespace-nowrap"
              />
              <Fact label="Next refresh" value={<NextRefresh list={list} now={now} />} className="whitespace-nowrap" />
            </dl>
            <div className="min-w-0 flex-1">
              <ListState list={list} />
            </div>
            {operator ? (
              <Button
                className="h-7 self-start px-2 text-xs lg:self-center"
                disabled={list.refreshing || (refresh.isPending && refresh.variables?.name === list.name)}
                onClick={() => refresh.mutate({ name: list.name })}
                data-testid="blocklist-refresh"
              >
                Refresh now
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {refresh.error ? <p className="mt-2 text-sm text-bad">{refresh.error.message}</p> : null}
    </Panel>
  );
}
