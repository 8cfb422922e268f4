'use client';

import { useState } from 'react';
import type { ModuleControlAction } from '@/lib/healing/healing-api';
import type { ModuleView } from '@/lib/healing/module-view';
import { formatRelative } from '@/lib/format';
import { Badge, TONE_TEXT } from '../ui/badge';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { Td, Tr, WIDE_ONLY } from '../ui/data-table';
import { ApprovalButtons } from './approval-buttons';
import { LatencySparkline } from './latency-sparkline';
import { DeleteModuleDialog } from './delete-module-dialog';
import { EditModuleDialog } from './edit-module-dialog';
import { ModuleActionDialog } from './module-action-dialog';
import { STATE_TONE, words } from './module-format';
import { formatMs, recentUptime } from '@/lib/healing/module-format';
import { ModuleLogsDialog } from './module-logs-dialog';
import { VantagePoints } from './vantage-points';

function P95Cell({ module }: { module: ModuleView }) {
  const { p95Ms, baselineMs } = module;
  // Latency P95 over 2x the learned baseline is a detection (the healing defaults).
  const over = p95Ms !== null && baselineMs !== null && baselineMs > 0 ? p95Ms / baselineMs : null;
  return (
    <Td
      className={cn('tabular text-right whitespace-nowrap', WIDE_ONLY)}
      title={over !== null ? `p95 is ${over.toFixed(1)}× the baseline` : 'no baseline learned yet'}
    >
      <span className={cn(over !== null && over >= 2 ? 'text-bad' : over !== null && over >= 1.5 ? 'text-warn' : undefined)}>{formatMs(p95Ms)}</span>
      <span className="block text-[11px] text-faint">base {formatMs(baselineMs)}</span>
    </Td>
  );
}

function UptimeCell({ sparkline }: { sparkline: ModuleView['sparkline'] }) {
  const uptime = recentUptime(sparkline);
  const tone = uptime === null ? 'neutral' : uptime >= 99.5 ? 'ok' : uptime >= 90 ? 'warn' : 'bad';
  return (
    <Td
      className={cn('tabular text-right', TONE_TEXT[tone], WIDE_ONLY)}
      title={`share of the last ${sparkline.length} probes that passed`}
      data-testid="module-uptime"
    >
      {uptime === null ? '—' : `${uptime.toFixed(uptime === 100 || uptime === 0 ? 0 : 1)} %`}
    </Td>
  );
}

/** One module: what it is, how it answers, and (for operators) what can be done about it. */
export function ModuleRow({
  module,
  now,
  canOperate,
  isAdmin,
  onError,
}: {
  module: ModuleView;
  now: number;
  canOperate: boolean;
  isAdmin: boolean;
  onError: (message: string | null) => void;
}) {
  const [action, setAction] = useState<ModuleControlAction | null>(null);
  const [logsOpen, setLogsOpen] = useState(false);
  const [editing, setEditing] = useState<'edit' | 'delete' | null>(null);
  // Console modules are the console's to change; config-file ones change in the file. Program-running ones are for admins.
  const editable = canOperate && module.source === 'console' && (isAdmin || (module.kind !== 'process' && module.kind !== 'command'));
  return (
    <Tr className="align-top hover:bg-surface-2">
      <Td className="whitespace-nowrap">
        <Badge tone={STATE_TONE[module.state]} testId="module-state">
          {module.state}
        </Badge>
        <div className="mt-0.5 text-[11px] text-faint" title={new Date(module.stateSince).toLocaleString()}>
          {formatRelative(module.stateSince, now).replace(' ago', '')}
        </div>
      </Td>
      <Td>
        <div className="flex items-center gap-1.5">
          <span className="font-mono text-[13px] font-medium" data-testid="module-name">
            {module.name}
          </span>
          {module.critical ? (
            <span className="text-[11px] font-semibold text-crit" title="critical: weighs more in the health score and escalates faster">
              ● critical
            </span>
          ) : null}
        </div>
        <div className="text-[11px] text-faint">
          {module.kind} · {module.source === 'config' ? 'config file' : 'console'}
          {module.pid !== null ? ` · pid ${module.pid}` : ''}
          {module.observeOnly ? ' · observe only' : module.autonomy !== 'auto' ? ` · ${module.autonomy}` : ''}
          {module.dependsOn.length ? ` · needs ${module.dependsOn.join(', ')}` : ''}
        </div>
        {module.vantage ? <VantagePoints module={module.name} vantage={module.vantage} /> : null}
      </Td>
      <Td className={WIDE_ONLY}>
        <LatencySparkline points={module.sparkline} baselineMs={module.baselineMs} />
        <div className="tabular text-[11px] text-faint">now {formatMs(module.latencyMs)}</div>
      </Td>
      <P95Cell module={module} />
      <UptimeCell sparkline={module.sparkline} />
      <Td className={cn('tabular text-right', WIDE_ONLY)} data-testid="module-restarts">
        {module.restarts}
      </Td>
      <Td className={cn('whitespace-nowrap text-muted', WIDE_ONLY)} title={module.lastCheckAt ? new Date(module.lastCheckAt).toLocaleString() : undefined}>
        {module.lastCheckAt ? formatRelative(module.lastCheckAt, now) : '—'}
      </Td>
      <Td className={cn('max-w-[18rem] text-xs text-muted', WIDE_ONLY)}>
        <span className="line-clamp-2 break-words" title={module.message ?? undefined} data-testid="module-message">
          {module.message ?? '—'}
        </span>
        {module.pendingApproval ? <span className="mt-0.5 block font-medium text-warn">waits for approval: {words(module.pendingApproval)}</span> : null}
      </Td>
      <Td className="text-right">
        <div className="flex flex-wrap justify-end gap-1">
          {canOperate && module.pendingApproval ? <ApprovalButtons name={module.name} onError={onError} /> : null}
          {module.kind === 'process' ? (
            <Button variant="ghost" className="h-7 px-2 text-xs" onClick={() => setLogsOpen(true)} data-testid="module-logs">
              Logs
            </Button>
          ) : null}
          {canOperate ? (
            <>
              {module.canRestart ? (
                <Button variant="ghost" className="h-7 px-2 text-xs" onClick={() => setAction('restart')} data-testid="module-restart">
                  Restart
                </Button>
              ) : null}
              {module.state === 'paused' ? (
                <Button variant="ghost" className="h-7 px-2 text-xs" onClick={() => setAction('resume')} data-testid="module-resume">
                  Resume
                </Button>
              ) : (
                <Button variant="ghost" className="h-7 px-2 text-xs" onClick={() => setAction('pause')} data-testid="module-pause">
                  Pause
                </Button>
              )}
              {editable ? (
                <>
                  <Button
                    variant="ghost"
                    className="h-7 px-2 text-xs"
                    onClick={() => setEditing('edit')}
                    aria-label={`Edit ${module.name}`}
                    data-testid="module-edit"
                  >
                    Edit
                  </Button>
                  <Button
                    variant="ghost-danger"
                    className="h-7 px-2 text-xs"
                    onClick={() => setEditing('delete')}
                    aria-label={`Delete ${module.name}`}
                    data-testid="module-delete"
                  >
                    Delete
                  </Button>
                </>
              ) : null}
            </>
          ) : null}
        </div>
        {action ? <ModuleActionDialog module={module} action={action} onClose={() => setAction(null)} /> : null}
        {editing === 'edit' ? <EditModuleDialog name={module.name} isAdmin={isAdmin} onClose={() => setEditing(null)} /> : null}
        {editing === 'delete' ? <DeleteModuleDialog module={module} onClose={() => setEditing(null)} /> : null}
        {logsOpen ? <ModuleLogsDialog name={module.name} onClose={() => setLogsOpen(false)} /> : null}
      </Td>
    </Tr>
  );
}
