import type { HostView } from '@/lib/fleet/fleet-api';
import { LEVEL_STYLE } from '@/lib/health/level-style';
import type { DegradationLevel } from '@/lib/health/degradation';
import type { DefenseMode } from '@/lib/defense/defense-types';
import { MODE_TONE } from '../defense/defense-style';
import { Badge } from '../ui/badge';

export function LevelBadge({ level }: { level: string | null }) {
  const style = level ? LEVEL_STYLE[level as DegradationLevel] : undefined;
  if (!style) return <span className="text-faint">—</span>;
  return <Badge tone={style.tone}>{style.label}</Badge>;
}

export function ModeBadge({ mode }: { mode: string | null }) {
  const tone = mode ? MODE_TONE[mode as DefenseMode] : undefined;
  if (!mode || !tone) return <span className="text-faint">—</span>;
  return <Badge tone={tone}>{mode}</Badge>;
}

/** Connected, away or revoked: the first thing to know about a host. */
export function ConnectionBadge({ host }: { host: HostView }) {
  if (host.revokedAt)
    return (
      <Badge tone="crit" testId="host-connection">
        revoked
      </Badge>
    );
  return host.connected ? (
    <Badge tone="ok" testId="host-connection">
      connected
    </Badge>
  ) : (
    <Badge tone="bad" testId="host-connection">
      disconnected
    </Badge>
  );
}

export function LabelChips({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels);
  if (!entries.length) return <span className="text-faint">—</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {entries.map(([name, value]) => (
        <span key={name} className="rounded bg-surface-2 px-1.5 py-0.5 font-mono text-[11px] text-muted">
          {name}:{value}
        </span>
      ))}
    </span>
  );
}
