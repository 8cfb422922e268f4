import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RecoverySection } from '@/components/snapshots/recovery-section';
import { HostScoped } from '@/components/fleet/host-scoped';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Recovery' };

export default async function RecoveryPage() {
  const session = await requireSession();
  return (
    <Suspense>
      <HostScoped section="Recovery" details="snapshots and restores" remote="recovery">
        <RecoverySection principal={session.principal} />
      </HostScoped>
    </Suspense>
  );
}
