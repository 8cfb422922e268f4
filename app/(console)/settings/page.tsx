import type { Metadata } from 'next';
import { canAdminister, canOperate } from '@/lib/auth/roles';
import { SettingsSection } from '@/components/settings/settings-section';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const session = await requireSession();
  return <SettingsSection canAdminister={canAdminister(session.principal)} canOperate={canOperate(session.principal)} />;
}
