import type { Metadata } from 'next';
import { canAdminister, canOperate } from '@/lib/auth/roles';
import { StatusPagesPanel } from '@/components/status-pages/status-pages-panel';
import { EmptyState } from '@/components/ui/empty-state';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Status pages' };

export default async function StatusPagesPage() {
  const session = await requireSession();
  if (!canOperate(session.principal)) return <EmptyState title="Operators only">Ask an operator to post on the status pages.</EmptyState>;
  return <StatusPagesPanel canAdminister={canAdminister(session.principal)} />;
}
