import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Dashboard } from '@/components/dashboard/dashboard';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Defense & Healing' };

export default async function DashboardPage() {
  const session = await requireSession();
  return (
    <Suspense>
      <Dashboard principal={session.principal} />
    </Suspense>
  );
}
