import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditView } from '@/components/audit/audit-view';
import { canOperate } from '@/lib/auth/roles';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Audit trail' };

export default async function AuditPage() {
  const session = await requireSession();
  return (
    <Suspense>
      <AuditView canShare={canOperate(session.principal)} />
    </Suspense>
  );
}
