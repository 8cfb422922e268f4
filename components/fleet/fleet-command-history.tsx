'use client';

import { commandSummary, describeCommand, describeTarget, shownStatus, type FleetStepShown } from '@/lib/fleet/fleet-command-choices';
import type { FleetCommandView } from '@/lib/fleet/fleet-command-api';
import { formatRelative } from '@/lib/format';
import { Badge, type Tone } from '../ui/badge';
import { cn } from '../ui/cn';

const STEP_TONE: Record<FleetStepShown, Tone> = {
  pending: 'neutral',
  sent: 'neutral',
  accepted: 'accent',
  progress: 'accent',
  succeeded: 'ok',
  failed: 'bad',
  refused: 'bad',
  expired: 'warn',
};

function HostStep({ host, expiresAt, now }: { host: FleetCommandView['hosts'][number]; expiresAt: string; now: number }) {
  const status = shownStatus(host.status, expiresAt, now);
  const { progress } = host;
  return (
    <li className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 py-1" data-testid="fleet-command-host" data-host-name={host.name} data-status={status}>
      <span className="min-w-24 font-mono text-xs text-text">{host.name}</span>
      <Badge tone={STEP_TONE[status]}>{status}</Badge>
      <span className="min-w-0 flex-1 text-xs break-words text-muted">
        {host.message ?? ''}
        {status === 'progress' && progress && progress.filesTotal > 0 ? ` (${progress.filesDone}/${progress.filesTotal} files)` : ''}
      </span>
    </li>
  );
}

/**
 * The newest commands, each with every host's step as the live feed brings it: accepted,
 * progress, then succeeded, failed, refused, or expired for a host that never answered in time.
 */
export function FleetCommandHistory({ commands, now, openId }: { commands: FleetCommandView[]; now: number; openId: string | null }) {
  if (commands.length === 0) return <p className="text-sm text-faint">No command sent yet.</p>;
  return (
    <ul className="-mx-4 flex flex-col divide-y divide-border" data-testid="fleet-command-history">
      {commands.map((command) => {
        const { done, failed, total } = commandSummary(command, now);
        const settled = done + failed === total;
        return (
          <li key={command.id} data-testid="fleet-command" data-command-id={command.id} data-kind={command.kind}>
            <details open={command.id === openId || !settled} className="group px-4 py-2">
              <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 rounded text-sm">
                <span aria-hidden className="text-faint transition group-open:rotate-90">
                  ▸
                </span>
                <span className="font-medium text-text">{describeCommand(command)}</span>
                <span className="text-xs text-muted">{describeTarget(command.target, total)}</span>
                <span className={cn('tabular text-xs', failed > 0 ? 'text-bad' : settled ? 'text-ok' : 'text-accent')} data-testid="fleet-command-summary">
                  {settled ? `${done}/${total} succeeded${failed ? ` · ${failed} failed` : ''}` : `${done + failed}/${total} answered`}
                </span>
                <span className="ml-auto text-xs text-faint">
                  {command.actor.replace(/^user:/, '')} · {now ? formatRelative(command.createdAt, now) : '…'}
                </span>
              </summary>
              <ul className="mt-1 pl-5">
                {command.hosts.map((host) => (
                  <HostStep key={host.hostId} host={host} expiresAt={command.expiresAt} now={now} />
                ))}
              </ul>
            </details>
          </li>
        );
      })}
    </ul>
  );
}
