import type { Metadata } from 'next';
import { canAdminister } from '@/lib/auth/roles';
import { TokensPanel } from '@/components/admin/tokens-panel';
import { UsersPanel } from '@/components/admin/users-panel';
import { ShareLinksPanel } from '@/components/admin/share-links-panel';
import { WorkersPanel } from '@/components/admin/workers-panel';
import { EmptyState } from '@/components/ui/empty-state';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage() {
  const session = await requireSession();
  if (!canAdminister(session.principal)) {
    return <EmptyState title="Administrators only">Ask an administrator for access to users and API tokens.</EmptyState>;
  }
  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
      <UsersPanel selfId={session.principal.id} />
      <TokensPanel />
      <ShareLinksPanel />
      <WorkersPanel />
    </div>
  );
}
