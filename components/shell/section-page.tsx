import type { ReactNode } from 'react';

/**
 * The frame of a console section: its heading, one line saying what it is for, then its panels
 * stacked. A panel joins a section with one line inside `children`.
 */
export function SectionPage({ title, summary, testId, children }: { title: string; summary: string; testId: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-4" data-testid={testId}>
      <div>
        <h1 className="text-lg font-semibold tracking-tight">{title}</h1>
        <p className="text-sm text-muted">{summary}</p>
      </div>
      {children}
    </div>
  );
}
