import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RiskSection } from '@/components/risk/risk-section';
import { HostScoped } from '@/components/fleet/host-scoped';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Risk' };

export default async function RiskPage() {
  const session = await requireSession();
  return (
    <Suspense>
      <HostScoped section="Risk" details="risk history, predictions and mitigations">
        <RiskSection principal={session.principal} />
      </HostScoped>
    </Suspense>
  );
}
