'use client';

import { useLiveStatus } from '../live/live-status-store';
import { cn } from '../ui/cn';

export function LiveIndicator() {
  const { state } = useLiveStatus();
  const label = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting' : 'Offline';
  return (
    <span
      data-testid="live-indicator"
      data-state={state}
      title={label}
      role="status"
      aria-label={`live updates: ${label}`}
      className="inline-flex items-center gap-1.5 text-xs font-medium text-muted"
    >
      <span className={cn('h-2 w-2 rounded-full', state === 'live' ? 'bg-ok motion-safe:animate-pulse' : state === 'connecting' ? 'bg-warn' : 'bg-bad')} />
      <span className="hidden sm:inline">{label}</span>
    </span>
  );
}
