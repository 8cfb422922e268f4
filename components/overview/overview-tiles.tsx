'use client';

import { LEVEL_STYLE, toneForScore } from '@/lib/health/level-style';
import { formatRelative } from '@/lib/format';
import { BAND_TONE } from '../risk/risk-style';
import { LEVEL_TONE, MODE_MEANING, MODE_TONE } from '../defense/defense-style';
import { useDefenseQuery } from '../queries/use-defense-query';
import { useForecastQuery } from '../queries/use-forecast-query';
import { useHealthQuery } from '../queries/use-health-query';
import { useIncidentsQuery } from '../queries/use-incidents-query';
import { useModulesQuery } from '../queries/use-modules-query';
import { useRecoveryQuery } from '../queries/use-recovery-query';
import { Badge, TONE_TEXT } from '../ui/badge';
import { OverviewTile, TileNote, TileRow } from './overview-tile';

const WAITING = <TileNote>Waiting for the worker…</TileNote>;
const LIST_LENGTH = 4;

export function HealthTile() {
  const { data } = useHealthQuery();
  const tone = data ? toneForScore(data.score) : 'neutral';
  return (
    <OverviewTile title="Health" href="/health" linkLabel="Health and resources" testId="overview-health">
      {data ? (
        <>
          <p className={`text-4xl font-bold tabular-nums ${TONE_TEXT[tone]}`} data-testid="overview-score">
            {data.score}
            <span className="ml-1 text-sm font-normal text-faint">/ 100</span>
          </p>
          <ul className="flex flex-col gap-0.5 text-xs text-muted">
            {data.deductions.length === 0 ? <li>Nothing is taking points away.</li> : null}
            {data.deductions.slice(0, 3).map((d) => (
              <TileRow key={d.factor} fact={<span className="text-bad">−{d.points}</span>}>
                {d.detail}
              </TileRow>
            ))}
          </ul>
        </>
      ) : (
        WAITING
      )}
    </OverviewTile>
  );
}

export function DegradationTile() {
  const { data } = useHealthQuery();
  const style = data ? LEVEL_STYLE[data.degradation] : null;
  return (
    <OverviewTile title="Degradation" href="/health" linkLabel="Degradation ladder" testId="overview-degradation">
      {data && style ? (
        <>
          <p className={`text-2xl font-semibold ${TONE_TEXT[style.tone]}`} data-testid="overview-degradation-level" data-level={data.degradation}>
            {style.label}
          </p>
          <p className="text-xs text-muted">{style.summary}</p>
          {data.pinnedDegradation ? <Badge tone="accent">held ≥ {LEVEL_STYLE[data.pinnedDegradation].label}</Badge> : null}
        </>
      ) : (
        WAITING
      )}
    </OverviewTile>
  );
}

export function DefenseModeTile({ now }: { now: number }) {
  const { data } = useDefenseQuery();
  return (
    <OverviewTile title="Defense mode" href="/defense" linkLabel="Defense" testId="overview-defense">
      {data ? (
        <>
          <p className={`text-2xl font-semibold ${TONE_TEXT[MODE_TONE[data.mode]]}`} data-testid="overview-defense-mode">
            {data.mode}
          </p>
          <p className="text-xs text-muted">{MODE_MEANING[data.mode]}</p>
          <p className="text-xs text-muted">
            {data.isolationCount} isolated · {data.guard.denied} of {data.guard.checks} guard checks denied
          </p>
          {data.lockdown ? <TileNote>since {formatRelative(data.lockdown.since, now)}</TileNote> : null}
        </>
      ) : (
        WAITING
      )}
    </OverviewTile>
  );
}

export function IncidentsTile({ now }: { now: number }) {
  const incidents = useIncidentsQuery();
  const modules = useModulesQuery();
  const open = incidents.data?.open ?? [];
  const down = (modules.data ?? []).filter((module) => module.state === 'down' || module.state === 'degraded');
  return (
    <OverviewTile
      title="Open incidents"
      href="/healing"
      linkLabel="Healing"
      testId="overview-incidents"
      status={incidents.data ? <Badge tone={open.length ? 'bad' : 'ok'}>{open.length}</Badge> : null}
    >
      {!incidents.data ? WAITING : null}
      {incidents.data && open.length === 0 ? <TileNote>No open incident.</TileNote> : null}
      <ul className="flex flex-col gap-1">
        {open.slice(0, LIST_LENGTH).map((incident) => (
          <TileRow key={incident.id} fact={formatRelative(incident.openedAt, now)}>
            <span className="font-mono text-xs">{incident.module}</span> {incident.title}
          </TileRow>
        ))}
      </ul>
      {modules.data ? (
        <TileNote>
          {modules.data.length - down.length} of {modules.data.length} modules up{down.length ? `; ${down.map((m) => m.name).join(', ')} not` : ''}
        </TileNote>
      ) : null}
    </OverviewTile>
  );
}

export function ThreatsTile({ now, className }: { now: number; className?: string }) {
  const { data } = useDefenseQuery();
  const threats = data?.threats.slice(0, LIST_LENGTH) ?? [];
  return (
    <OverviewTile title="Newest threats" href="/defense" linkLabel="Threats and isolations" testId="overview-threats" className={className}>
      {!data ? WAITING : threats.length === 0 ? <TileNote>No threat detected.</TileNote> : null}
      <ul className="flex flex-col gap-1">
        {threats.map((threat) => (
          <TileRow key={threat.id} fact={formatRelative(threat.at, now)}>
            <Badge tone={LEVEL_TONE[threat.level]}>{threat.level}</Badge> <span className="font-mono text-xs">{threat.key}</span>{' '}
            <span className="text-xs text-muted">{threat.scenario}</span>
          </TileRow>
        ))}
      </ul>
    </OverviewTile>
  );
}

export function RiskTile() {
  const { data } = useForecastQuery();
  const hot = [...(data?.subsystems ?? [])].sort((a, b) => b.risk - a.risk).slice(0, LIST_LENGTH);
  return (
    <OverviewTile title="Risk hot spots" href="/risk" linkLabel="Risk heatmap" testId="overview-risk">
      {!data ? WAITING : hot.length === 0 ? <TileNote>No risk computed yet.</TileNote> : null}
      <ul className="flex flex-col gap-1">
        {hot.map((subsystem) => (
          <TileRow key={subsystem.id} fact={<Badge tone={BAND_TONE[subsystem.band]}>{subsystem.risk}</Badge>}>
            {subsystem.name}
          </TileRow>
        ))}
      </ul>
    </OverviewTile>
  );
}

export function BackupTile({ now }: { now: number }) {
  const { data } = useRecoveryQuery();
  const golden = data?.golden;
  return (
    <OverviewTile
      title="Backup freshness"
      href="/recovery"
      linkLabel="Recovery"
      testId="overview-backup"
      status={golden ? <Badge tone={golden.stale ? 'warn' : 'ok'}>{golden.stale ? 'stale' : 'fresh'}</Badge> : null}
    >
      {!data || !golden ? (
        WAITING
      ) : golden.newest ? (
        <>
          <p className="truncate font-mono text-sm">{golden.newest.name}</p>
          <p className="text-xs text-muted">
            taken {formatRelative(golden.newest.createdAt, now)}
            {golden.verifiedAt ? `, verified ${formatRelative(golden.verifiedAt, now)}` : ', never verified'}
          </p>
          <TileNote>
            {data.snapshots.length} snapshot{data.snapshots.length === 1 ? '' : 's'}; policy: a verified golden snapshot younger than {golden.maxAgeHours} h
          </TileNote>
        </>
      ) : (
        <p className="text-sm text-warn">No verified golden snapshot.</p>
      )}
    </OverviewTile>
  );
}
