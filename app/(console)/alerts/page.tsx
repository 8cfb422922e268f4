import type { Metadata } from 'next';
import { AlertsConsole } from '@/components/alerts/alerts-console';
import { canAdminister, canOperate } from '@/lib/auth/roles';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Alerts' };

export default async function AlertsPage() {
  const { principal } = await requireSession();
  return <AlertsConsole canOperate={canOperate(principal)} canAdminister={canAdminister(principal)} />;
}
