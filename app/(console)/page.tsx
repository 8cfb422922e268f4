import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Overview } from '@/components/overview/overview';
import { HostScoped } from '@/components/fleet/host-scoped';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  const session = await requireSession();
  return (
    <Suspense>
      <HostScoped section="Overview" details="modules, incidents, threats and snapshots" remote="overview">
        <Overview principal={session.principal} />
      </HostScoped>
    </Suspense>
  );
}
