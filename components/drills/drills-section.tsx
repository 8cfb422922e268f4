'use client';

import type { Principal } from '@/lib/auth/roles';
import { SectionPage } from '../shell/section-page';
import { useNow } from '../ui/use-now';
import { DrillsPanel } from './drills-panel';

export function DrillsSection({ principal }: { principal: Principal }) {
  const now = useNow();
  return (
    <SectionPage title="Drills" summary="Injected faults and how fast they were detected and repaired." testId="section-drills">
      <DrillsPanel principal={principal} now={now} />
    </SectionPage>
  );
}
