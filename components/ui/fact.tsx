import type { ReactNode } from 'react';
import { cn } from './cn';

/** One labelled figure in a <dl> of facts (host, defense, integrity). */
export function Fact({ label, value, testId, className }: { label: string; value: ReactNode; testId?: string; className?: string }) {
  return (
    <div className="flex flex-col">
      <dt className="text-[11px] uppercase tracking-wide text-faint">{label}</dt>
      <dd className={cn('tabular text-sm font-medium', className)} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
