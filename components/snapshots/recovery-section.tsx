'use client';

import type { Principal } from '@/lib/auth/roles';
import { SectionPage } from '../shell/section-page';
import { useNow } from '../ui/use-now';
import { OffsitePanel } from './offsite-panel';
import { RecoveryBanners } from './recovery-banners';
import { RecoveryPanel } from './recovery-panel';

/** Recovery: snapshots, their verification, golden restore and its live progress. */
export function RecoverySection({ principal }: { principal: Principal }) {
  const now = useNow();
  return (
    <SectionPage title="Recovery" summary="Snapshots, their verification, golden restore and off-site copies." testId="section-recovery">
      <RecoveryBanners principal={principal} />
      <RecoveryPanel principal={principal} now={now} />
      <OffsitePanel principal={principal} now={now} />
    </SectionPage>
  );
}
