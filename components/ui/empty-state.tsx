import type { ReactNode } from 'react';

export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div
      data-testid={testId}
      className="flex flex-1 flex-col items-center justify-center gap-1 rounded-md border border-dashed border-border px-4 py-6 text-center"
    >
      <p className="text-sm font-medium text-muted">{title}</p>
      {children ? <div className="max-w-sm text-xs text-faint">{children}</div> : null}
    </div>
  );
}
