import type { ReactNode } from 'react';
import { AppProviders } from '@/components/shell/app-providers';
import { TopBar } from '@/components/shell/top-bar';
import { LockdownBanner } from '@/components/defense/lockdown-banner';
import { ConfigBanner } from '@/components/config/config-banner';
import { requireSession } from '@/app/_lib/session';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  return (
    <>
      <meta name="vigil-csrf" content={session.csrfToken} />
      <AppProviders>
        <TopBar principal={session.principal} />
        <main className="mx-auto max-w-[1600px] px-3 py-4 sm:px-4">
          <LockdownBanner principal={session.principal} />
          <ConfigBanner />
          {children}
        </main>
      </AppProviders>
    </>
  );
}
