'use client';

import type { Principal } from '@/lib/auth/roles';
import { SectionPage } from '../shell/section-page';
import { useNow } from '../ui/use-now';
import { ApprovalsPanel } from './approvals-panel';
import { IncidentsPanel } from './incidents-panel';
import { ModulesPanel } from './modules-panel';

/** Healing: the supervised modules, their incidents and the repairs waiting for approval. */
export function HealingSection({ principal }: { principal: Principal }) {
  const now = useNow();
  return (
    <SectionPage title="Healing" summary="Supervised modules, their incidents and repairs waiting for approval." testId="section-healing">
      <ModulesPanel principal={principal} now={now} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <IncidentsPanel now={now} className="lg:col-span-2" />
        <ApprovalsPanel principal={principal} />
      </div>
    </SectionPage>
  );
}
