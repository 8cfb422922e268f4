import Link from 'next/link';
import type { ReactNode } from 'react';
import { cn } from '../ui/cn';

/**
 * One answer on the overview ("is anything wrong here?") with the way into its section. The
 * whole header is the link, so on a phone the target is large and says where it goes.
 */
export function OverviewTile({
  title,
  href,
  linkLabel,
  status,
  testId,
  className,
  children,
}: {
  title: string;
  href: string;
  linkLabel: string;
  status?: ReactNode;
  testId: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section aria-label={title} className={cn('flex min-w-0 flex-col rounded-lg border border-border bg-surface', className)} data-testid={testId}>
      <header className="flex items-center justify-between gap-2 border-b border-border px-3 py-2">
        <h2 className="truncate text-[13px] font-semibold tracking-wide text-muted uppercase">{title}</h2>
        {status}
      </header>
      <div className="flex min-h-0 flex-1 flex-col gap-2 p-3 text-sm">{children}</div>
      <Link href={href} className="border-t border-border px-3 py-1.5 text-xs font-medium text-accent hover:bg-surface-2" data-testid={`${testId}-link`}>
        {linkLabel} →
      </Link>
    </section>
  );
}

/** A row in a tile's short list: what, and a right-aligned fact. */
export function TileRow({ children, fact, className }: { children: ReactNode; fact?: ReactNode; className?: string }) {
  return (
    <li className={cn('flex min-w-0 items-baseline justify-between gap-2', className)}>
      <span className="min-w-0 truncate">{children}</span>
      {fact !== undefined ? <span className="shrink-0 text-xs text-muted tabular-nums">{fact}</span> : null}
    </li>
  );
}

export function TileNote({ children }: { children: ReactNode }) {
  return <p className="text-xs text-faint">{children}</p>;
}
