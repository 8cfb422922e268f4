import type { Metadata } from 'next';
import { Suspense } from 'react';
import { HealthSection } from '@/components/dashboard/health-section';
import { HostScoped } from '@/components/fleet/host-scoped';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Health' };

export default async function HealthPage() {
  const session = await requireSession();
  return (
    <Suspense>
      <HostScoped section="Health" details="samples and charts">
        <HealthSection principal={session.principal} />
      </HostScoped>
    </Suspense>
  );
}
