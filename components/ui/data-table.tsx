import type { ReactNode, TdHTMLAttributes } from 'react';
import { cn } from './cn';

/**
 * A header label, or one with its alignment; a `wide` column is shown from the `sm` breakpoint up,
 * so a phone gets the columns that matter without scrolling sideways (its cells use `WIDE_ONLY`).
 */
export type Column = string | { label: string; align?: 'right'; wide?: boolean };

/** For the cells of a `wide` column. */
export const WIDE_ONLY = 'hidden sm:table-cell';

// Outer columns line up with the panel's own padding (px-4); inner ones are tighter.
const CELL = 'px-2 py-1.5 first:px-4 last:px-4';

/**
 * A table that bleeds to the edges of its Panel and scrolls sideways on narrow screens.
 * `className` sets the minimum width and text size, e.g. `min-w-[560px] text-sm`.
 * `empty`, when given, is shown as a single row spanning every column.
 */
export function DataTable({
  columns,
  className,
  testId,
  empty,
  label = 'table',
  children,
}: {
  columns: readonly Column[];
  /** Names the scrolling region for screen readers. */
  label?: string;
  className?: string;
  testId?: string;
  empty?: ReactNode;
  children: ReactNode;
}) {
  return (
    // Focusable so a keyboard can scroll a table wider than a phone (WCAG scrollable-region-focusable).
    <div className="-mx-4 overflow-x-auto" tabIndex={0} role="region" aria-label={label}>
      <table className={cn('w-full text-left', className)} data-testid={testId}>
        <thead className="text-[11px] uppercase tracking-wide text-faint">
          <tr className="border-b border-border">
            {columns.map((column, i) => {
              const label = typeof column === 'string' ? column : column.label;
              const right = typeof column !== 'string' && column.align === 'right';
              const wide = typeof column !== 'string' && column.wide;
              return (
                <th key={i} className={cn(CELL, 'font-medium', right && 'text-right', wide && WIDE_ONLY)}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {empty ? (
            <tr>
              <td colSpan={columns.length} className="px-4 py-3 text-center text-xs text-faint">
                {empty}
              </td>
            </tr>
          ) : null}
          {children}
        </tbody>
      </table>
    </div>
  );
}

export function Tr({ className, children }: { className?: string; children: ReactNode }) {
  return <tr className={cn('border-b border-border/60 last:border-0', className)}>{children}</tr>;
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td {...props} className={cn(CELL, className)} />;
}
