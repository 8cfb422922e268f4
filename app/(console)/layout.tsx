import type { ReactNode } from 'react';
import { AppProviders } from '@/components/shell/app-providers';
import { TopBar } from '@/components/shell/top-bar';
import { BottomNav } from '@/components/shell/section-nav';
import { AfterHydration } from '@/components/shell/after-hydration';
import { LockdownBanner } from '@/components/defense/lockdown-banner';
import { ConfigBanner } from '@/components/config/config-banner';
import { ConsoleConnectionBanner } from '@/components/dashboard/connection-banner';
import { requireSession } from '@/app/_lib/session';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  return (
    <>
      <meta name="vigil-csrf" content={session.csrfToken} />
      <AppProviders>
        <TopBar principal={session.principal} />
        {/* Bottom padding on a phone keeps the last row clear of the bottom navigation. */}
        <main className="mx-auto max-w-[1600px] px-3 pt-4 pb-20 sm:px-4 md:pb-4">
          <LockdownBanner principal={session.principal} />
          <ConsoleConnectionBanner />
          <ConfigBanner />
          <AfterHydration fallback={<p className="text-sm text-faint">Loading…</p>}>{children}</AfterHydration>
        </main>
        <BottomNav principal={session.principal} />
      </AppProviders>
    </>
  );
}
