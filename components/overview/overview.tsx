'use client';

import type { Principal } from '@/lib/auth/roles';
import { RecoveryBanners } from '../snapshots/recovery-banners';
import { useNow } from '../ui/use-now';
import { BackupTile, DefenseModeTile, DegradationTile, HealthTile, IncidentsTile, RiskTile, ThreatsTile } from './overview-tiles';

/** "Is anything wrong, and where?" in one screen: each tile answers for one section and leads into it. */
export function Overview({ principal }: { principal: Principal }) {
  const now = useNow();
  return (
    <div className="flex flex-col gap-3" data-testid="section-overview">
      <h1 className="sr-only">Overview</h1>
      <RecoveryBanners principal={principal} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4">
        <HealthTile />
        <DegradationTile />
        <DefenseModeTile now={now} />
        <BackupTile now={now} />
        <IncidentsTile now={now} />
        <ThreatsTile now={now} className="xl:col-span-2" />
        <RiskTile />
      </div>
    </div>
  );
}
