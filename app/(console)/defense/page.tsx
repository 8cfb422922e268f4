import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DefensePage } from '@/components/defense/defense-page';
import { HostScoped } from '@/components/fleet/host-scoped';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Defense' };

export default async function DefenseRoute() {
  const session = await requireSession();
  return (
    <Suspense>
      <HostScoped section="Defense" details="threats, isolations, allowlist, bouncers and file integrity" remote="defense">
        <DefensePage principal={session.principal} />
      </HostScoped>
    </Suspense>
  );
}
