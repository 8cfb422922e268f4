import type { ReactNode } from 'react';
import { VigilMark } from '../ui/vigil-mark';

/** The chrome of a shared view: says plainly that it is a read-only snapshot, by whom, until when. */
export function SharedFrame({
  title,
  createdBy,
  expiresAt,
  redacted,
  children,
}: {
  title: string;
  createdBy: string;
  expiresAt: Date;
  redacted: boolean;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-border bg-surface">
        <div className="mx-auto flex max-w-[1600px] flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2.5">
          <span className="flex items-center gap-2 font-semibold">
            <VigilMark className="h-6 w-6" />
            Vigil
          </span>
          <h1 className="text-sm font-medium" data-testid="shared-title">
            {title}
          </h1>
          <span className="ml-auto text-xs text-faint">
            read-only view shared by {createdBy.replace(/^user:/, '')} · valid until {expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC
            {redacted ? ' · source addresses redacted' : ''}
          </span>
        </div>
      </header>
      <main className="mx-auto max-w-[1600px] px-3 py-4 sm:px-4">{children}</main>
    </div>
  );
}
