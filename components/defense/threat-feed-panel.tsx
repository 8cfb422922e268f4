'use client';

import Link from 'next/link';
import { useState } from 'react';
import { canAdminister, canOperate, type Principal } from '@/lib/auth/roles';
import type { DefenseThreat } from '@/lib/defense/defense-types';
import { THREAT_LEVELS } from '@/lib/defense/threat-stats';
import { formatClock, formatRelative } from '@/lib/format';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { DataTable, Td, Tr, WIDE_ONLY } from '../ui/data-table';
import { Panel } from '../ui/panel';
import { ACTION_LABEL, LEVEL_TONE } from './defense-style';
import { useThreatLevelUrl } from './use-threat-level-url';
import { SourceActionDialog, type SourceAction } from './source-action-dialog';

const READ_COLUMNS = ['Time', 'Level', { label: 'Scenario', wide: true }, 'Source', { label: 'Action', wide: true }] as const;
const COLUMNS = [...READ_COLUMNS, { label: 'Do', align: 'right' }] as const;

function LevelFilter() {
  const { level, select } = useThreatLevelUrl();
  const choices = [null, ...THREAT_LEVELS];
  return (
    <div role="group" aria-label="Threat level" className="flex overflow-hidden rounded-md border border-border" data-testid="threat-level-filter">
      {choices.map((choice) => (
        <button
          key={choice ?? 'all'}
          type="button"
          aria-pressed={choice === level}
          onClick={() => select(choice)}
          className={cn('px-2 py-1 text-xs', choice === level ? 'bg-accent text-white dark:text-slate-950' : 'text-muted hover:bg-surface-2')}
        >
          {choice ?? 'all'}
        </button>
      ))}
    </div>
  );
}

/** The bucket a detector counted: an address, or a user, token or /24 with the client seen last. */
function SourceCell({ threat }: { threat: DefenseThreat }) {
  return (
    <Td className="max-w-[16rem] truncate font-mono text-xs" title={threat.key}>
      {threat.groupBy === 'ip' ? threat.key : `${threat.groupBy}: ${threat.key}`}
      {threat.groupBy !== 'ip' && threat.source ? <span className="block text-faint">from {threat.source}</span> : null}
    </Td>
  );
}

/** The client address behind a threat, when there is one to act on. */
const addressOf = (threat: DefenseThreat) => (threat.groupBy === 'ip' ? threat.key : threat.source);

/** What can be done about a threat's source from its row: isolate it, allowlist it, or read its history. */
function ThreatActions({ threat, principal, onAct }: { threat: DefenseThreat; principal: Principal; onAct: (source: string, action: SourceAction) => void }) {
  const address = addressOf(threat);
  if (!address) return <Td />;
  const isolated = threat.action === 'isolated' || threat.action === 'already-isolated';
  return (
    <Td className="text-right">
      <div className="flex flex-wrap justify-end gap-1">
        {canOperate(principal) && !isolated && threat.action !== 'protected' && threat.action !== 'allowlisted' ? (
          <Button variant="ghost-danger" className="h-7 px-2 text-xs" onClick={() => onAct(address, 'isolate')} data-testid="threat-isolate">
            Isolate
          </Button>
        ) : null}
        {canAdminister(principal) && threat.action !== 'allowlisted' && threat.action !== 'protected' ? (
          <Button variant="ghost" className="h-7 px-2 text-xs" onClick={() => onAct(address, 'allow')} data-testid="threat-allow">
            Allowlist
          </Button>
        ) : null}
        <Link
          href={`/audit?${new URLSearchParams({ source: address })}`}
          className="inline-flex h-7 items-center rounded-md px-2 text-xs text-accent hover:bg-surface-2"
          data-testid="threat-history"
        >
          History
        </Link>
      </div>
    </Td>
  );
}

/**
 * Every threat the detectors raised, newest first, live over 'defense:threat'. Without a
 * principal (another host's feed, read through its agent) the rows offer nothing to do: acting
 * here would act on this console's own guard.
 */
export function ThreatFeedPanel({ threats, now, principal, className }: { threats: DefenseThreat[]; now: number; principal?: Principal; className?: string }) {
  const { level } = useThreatLevelUrl();
  const [acting, setActing] = useState<{ source: string; action: SourceAction } | null>(null);
  const shown = level ? threats.filter((t) => t.level === level) : threats;
  return (
    <Panel title="Threat feed" subtitle="newest first" actions={<LevelFilter />} className={className} testId="panel-threats">
      <div className="max-h-96 overflow-y-auto">
        <DataTable
          columns={principal ? COLUMNS : READ_COLUMNS}
          className="text-sm sm:min-w-[680px]"
          testId="threat-feed"
          empty={
            shown.length === 0
              ? level
                ? `No ${level} threats among the latest ${threats.length}.`
                : 'No threats detected. Rate abuse, brute force, scanning and resource abuse show up here with the action taken.'
              : null
          }
        >
          {shown.map((threat) => (
            <Tr key={threat.id}>
              <Td className="whitespace-nowrap text-xs text-muted" title={new Date(threat.at).toLocaleString([], { hourCycle: 'h23' })}>
                {formatClock(threat.at)} <span className="text-faint">· {formatRelative(threat.at, now)}</span>
              </Td>
              <Td>
                <Badge tone={LEVEL_TONE[threat.level]} testId="threat-level">
                  {threat.level}
                </Badge>
              </Td>
              <Td className={cn('text-xs', WIDE_ONLY)}>
                {threat.scenario}
                <span className="block text-faint">
                  {threat.count} events · via {threat.origin}
                </span>
              </Td>
              <SourceCell threat={threat} />
              <Td className={cn('text-xs', WIDE_ONLY, threat.action === 'isolated' ? 'font-medium text-bad' : 'text-muted')}>{ACTION_LABEL[threat.action]}</Td>
              {principal ? <ThreatActions threat={threat} principal={principal} onAct={(source, action) => setActing({ source, action })} /> : null}
            </Tr>
          ))}
        </DataTable>
      </div>
      {acting ? <SourceActionDialog source={acting.source} action={acting.action} onClose={() => setActing(null)} /> : null}
    </Panel>
  );
}
