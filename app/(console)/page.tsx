import type { Metadata } from 'next';
import { Overview } from '@/components/overview/overview';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  const session = await requireSession();
  return <Overview principal={session.principal} />;
}
