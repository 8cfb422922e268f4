import type { Metadata } from 'next';
import { Suspense } from 'react';
import { redirect } from 'next/navigation';
import { Dashboard } from '@/components/dashboard/dashboard';
import { currentSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Defense & Healing' };

export default async function DashboardPage() {
  const session = await currentSession();
  if (!session) redirect('/login');
  return (
    <Suspense>
      <Dashboard principal={session.principal} />
    </Suspense>
  );
}
