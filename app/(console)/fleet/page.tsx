import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FleetSection } from '@/components/fleet/fleet-section';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Fleet' };

export default async function FleetPage() {
  const session = await requireSession();
  return (
    <Suspense>
      <FleetSection principal={session.principal} />
    </Suspense>
  );
}
