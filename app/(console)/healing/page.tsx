import type { Metadata } from 'next';
import { Suspense } from 'react';
import { HealingSection } from '@/components/modules/healing-section';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Healing' };

export default async function HealingPage() {
  const session = await requireSession();
  return (
    <Suspense>
      <HealingSection principal={session.principal} />
    </Suspense>
  );
}
