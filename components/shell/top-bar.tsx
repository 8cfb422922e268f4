import Link from 'next/link';
import { canAdminister, type Principal } from '@/lib/auth/roles';
import { LiveIndicator } from '../dashboard/live-indicator';
import { DefenseModeIndicator } from '../defense/defense-mode-indicator';
import { ThemeToggle } from '../theme/theme-toggle';
import { Badge } from '../ui/badge';
import { SignOutButton } from './sign-out-button';
import { VigilMark } from '../ui/vigil-mark';

export function TopBar({ principal }: { principal: Principal }) {
  return (
    <header className="sticky top-0 z-10 border-b border-border bg-surface/95 backdrop-blur">
      <div className="mx-auto flex h-12 max-w-[1600px] items-center gap-2 px-3 sm:gap-4 sm:px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <VigilMark className="h-6 w-6" />
          <span className="hidden min-[400px]:inline">Vigil</span>
          <span className="hidden text-xs font-normal text-faint sm:inline">Defense &amp; Healing</span>
        </Link>
        {/* On a phone the links scroll sideways rather than push the page wider than the screen. */}
        <nav className="flex min-w-0 items-center gap-1 overflow-x-auto whitespace-nowrap text-sm">
          <Link href="/" className="rounded-md px-2 py-1 text-muted hover:bg-surface-2 hover:text-text">
            Dashboard
          </Link>
          <Link href="/audit" className="rounded-md px-2 py-1 text-muted hover:bg-surface-2 hover:text-text">
            Audit
          </Link>
          <Link href="/status-pages" className="rounded-md px-2 py-1 text-muted hover:bg-surface-2 hover:text-text">
            Status pages
          </Link>
          <Link href="/api-docs" className="rounded-md px-2 py-1 text-muted hover:bg-surface-2 hover:text-text">
            API
          </Link>
          {canAdminister(principal) ? (
            <Link href="/admin" className="rounded-md px-2 py-1 text-muted hover:bg-surface-2 hover:text-text">
              Admin
            </Link>
          ) : null}
        </nav>
        <div className="ml-auto flex shrink-0 items-center gap-1.5 sm:gap-3">
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
    </header>
  );
}
