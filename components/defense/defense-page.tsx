'use client';

import type { Principal } from '@/lib/auth/roles';
import { IntegrityPanel } from '../integrity/integrity-panel';
import { SectionPage } from '../shell/section-page';
import { useNow } from '../ui/use-now';
import { DefenseSection } from './defense-section';

/** Defense: mode and lockdown, threats, isolations, the allowlist, bouncers and file integrity. */
export function DefensePage({ principal }: { principal: Principal }) {
  const now = useNow();
  return (
    <SectionPage title="Defense" summary="Defense mode and lockdown, threats, isolations, the allowlist, bouncers and file integrity." testId="section-defense">
      <DefenseSection principal={principal} now={now} />
      <IntegrityPanel principal={principal} now={now} />
    </SectionPage>
  );
}
