'use client';

import type { Principal } from '@/lib/auth/roles';
import { SectionPage } from '../shell/section-page';
import { useNow } from '../ui/use-now';
import { RiskPanel } from './risk-panel';

export function RiskSection({ principal }: { principal: Principal }) {
  const now = useNow();
  return (
    <SectionPage title="Risk" summary="Where failure is most likely next, why, and what would lower it." testId="section-risk">
      <RiskPanel principal={principal} now={now} />
    </SectionPage>
  );
}
