import type { ReactNode } from 'react';
import { cn } from './cn';

export function Panel({
  title,
  subtitle,
  actions,
  children,
  className,
  testId,
  id,
}: {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
  /** A fragment other pages link to (`/settings#settings-snapshots`). */
  id?: string;
}) {
  return (
    <section className={cn('flex min-w-0 flex-col rounded-lg border border-border bg-surface', className)} data-testid={testId} aria-label={title} id={id}>
      {/* Wraps rather than truncates: on a phone the actions move under the title, which stays whole. */}
      <header className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2 border-b border-border px-4 py-2.5">
        <div className="min-w-0">
          <h2 className="truncate text-[13px] font-semibold uppercase tracking-wide text-muted">{title}</h2>
          {subtitle ? <div className="truncate text-xs text-faint">{subtitle}</div> : null}
        </div>
        {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
      </header>
      <div className="flex min-h-0 flex-1 flex-col p-4">{children}</div>
    </section>
  );
}
