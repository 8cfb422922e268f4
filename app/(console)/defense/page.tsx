import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DefensePage } from '@/components/defense/defense-page';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Defense' };

export default async function DefenseRoute() {
  const session = await requireSession();
  return (
    <Suspense>
      <DefensePage principal={session.principal} />
    </Suspense>
  );
}
