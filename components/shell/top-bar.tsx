import Link from 'next/link';
import type { Principal } from '@/lib/auth/roles';
import { LiveIndicator } from '../dashboard/live-indicator';
import { DefenseModeIndicator } from '../defense/defense-mode-indicator';
import { ThemeToggle } from '../theme/theme-toggle';
import { Badge } from '../ui/badge';
import { HostScopeSelect } from '../fleet/host-scope-select';
import { EmergencyControls } from './emergency-controls';
import { SectionNav } from './section-nav';
import { SignOutButton } from './sign-out-button';
import { VigilMark } from '../ui/vigil-mark';

export function TopBar({ principal }: { principal: Principal }) {
  return (
    <header className="sticky top-0 z-10 border-b border-border bg-surface/95 backdrop-blur">
      <div className="mx-auto flex h-12 max-w-[1600px] items-center gap-2 px-3 sm:gap-4 sm:px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight" aria-label="Vigil overview">
          <VigilMark className="h-6 w-6" />
          <span className="hidden min-[480px]:inline">Vigil</span>
          <span className="hidden text-xs font-normal text-faint lg:inline">Defense &amp; Healing</span>
        </Link>
        <div className="ml-auto flex shrink-0 items-center gap-1.5 sm:gap-3">
          <HostScopeSelect className="hidden md:flex" />
          <EmergencyControls principal={principal} />
          <DefenseModeIndicator />
          <LiveIndicator />
          <ThemeToggle />
          <span className="hidden items-center gap-1.5 text-xs text-muted sm:flex" data-testid="current-user">
            {principal.name}
            <Badge>{principal.role}</Badge>
          </span>
          <SignOutButton />
        </div>
      </div>
      <SectionNav principal={principal} />
    </header>
  );
}
