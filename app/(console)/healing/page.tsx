import type { Metadata } from 'next';
import { Suspense } from 'react';
import { HealingSection } from '@/components/modules/healing-section';
import { HostScoped } from '@/components/fleet/host-scoped';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Healing' };

export default async function HealingPage() {
  const session = await requireSession();
  return (
    <Suspense>
      <HostScoped section="Healing" details="modules and incidents" remote="healing">
        <HealingSection principal={session.principal} />
      </HostScoped>
    </Suspense>
  );
}
