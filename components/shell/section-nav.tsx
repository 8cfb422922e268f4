'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import type { Principal } from '@/lib/auth/roles';
import { withHostScope } from '@/lib/fleet/host-scope';
import { HostScopeSelect } from '../fleet/host-scope-select';
import { useHostScope } from '../fleet/use-host-scope';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { cn } from '../ui/cn';
import { isCurrentSection, sectionsFor, type ConsoleSection } from './sections';

function SectionLink({
  section,
  pathname,
  className,
  testPrefix,
  onNavigate,
}: {
  section: ConsoleSection;
  pathname: string;
  className: string;
  testPrefix: string;
  onNavigate?: () => void;
}) {
  const current = isCurrentSection(section.href, pathname);
  // The host scope travels with the navigation: moving to another section keeps looking at the same host.
  const hostId = useHostScope();
  return (
    <Link
      href={withHostScope(section.href, hostId)}
      aria-current={current ? 'page' : undefined}
      onClick={onNavigate}
      className={cn(className, current ? 'bg-accent/10 font-semibold text-accent' : 'text-muted hover:bg-surface-2 hover:text-text')}
      data-testid={`${testPrefix}-${section.label.toLowerCase()}`}
    >
      {section.label}
    </Link>
  );
}

/** From a tablet up: every section in one row under the top bar, wrapping rather than scrolling sideways. */
export function SectionNav({ principal }: { principal: Principal }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Sections" className="hidden border-t border-border md:block" data-testid="section-nav">
      <ul className="mx-auto flex max-w-[1600px] flex-wrap items-center gap-1 px-3 py-1 text-sm sm:px-4">
        {sectionsFor(principal).map((section) => (
          <li key={section.href}>
            <SectionLink section={section} pathname={pathname} testPrefix="nav" className="block rounded-md px-2.5 py-1" />
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** On a phone: the four sections used most, with labels, at the thumb; the rest behind "More". */
export function BottomNav({ principal }: { principal: Principal }) {
  const pathname = usePathname();
  const [more, setMore] = useState(false);
  const sections = sectionsFor(principal);
  const inMore = sections.some((section) => !section.primary && isCurrentSection(section.href, pathname));
  const item = 'flex h-14 flex-1 flex-col items-center justify-center text-xs';
  return (
    <nav aria-label="Sections" className="fixed inset-x-0 bottom-0 z-20 border-t border-border bg-surface md:hidden" data-testid="bottom-nav">
      <ul className="flex">
        {sections
          .filter((section) => section.primary)
          .map((section) => (
            <li key={section.href} className="flex flex-1">
              <SectionLink section={section} pathname={pathname} testPrefix="tab" className={item} />
            </li>
          ))}
        <li className="flex flex-1">
          <button
            type="button"
            className={cn(item, inMore ? 'bg-accent/10 font-semibold text-accent' : 'text-muted')}
            aria-haspopup="dialog"
            aria-expanded={more}
            onClick={() => setMore(true)}
            data-testid="nav-more"
          >
            More
          </button>
        </li>
      </ul>
      <Dialog open={more} onClose={() => setMore(false)} title="Sections" testId="nav-more-dialog">
        {/* The top bar has no room for the host scope on a phone: it is here, above the sections. */}
        <HostScopeSelect className="mb-3 flex" testId="host-scope-phone" />
        <ul className="grid grid-cols-2 gap-2">
          {sections.map((section) => (
            <li key={section.href}>
              <SectionLink
                section={section}
                pathname={pathname}
                testPrefix="more"
                onNavigate={() => setMore(false)}
                className="block rounded-md border border-border px-3 py-2.5 text-sm"
              />
            </li>
          ))}
        </ul>
        <div className="mt-4 flex justify-end">
          <Button onClick={() => setMore(false)}>Close</Button>
        </div>
      </Dialog>
    </nav>
  );
}
