import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DrillsSection } from '@/components/drills/drills-section';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Drills' };

export default async function DrillsPage() {
  const session = await requireSession();
  return (
    <Suspense>
      <DrillsSection principal={session.principal} />
    </Suspense>
  );
}
