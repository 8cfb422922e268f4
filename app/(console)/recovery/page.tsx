import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RecoverySection } from '@/components/snapshots/recovery-section';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Recovery' };

export default async function RecoveryPage() {
  const session = await requireSession();
  return (
    <Suspense>
      <RecoverySection principal={session.principal} />
    </Suspense>
  );
}
