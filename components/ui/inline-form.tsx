import type { ReactNode } from 'react';
import { Button } from './button';
import { cn } from './cn';
import { FormError } from './field';

/**
 * A one-row form under a panel's table: its fields, then the submit button, then the error.
 * `className` sets the row's grid columns from `sm` up, e.g. `sm:grid-cols-[1fr_8rem_auto]`.
 */
export function InlineForm({
  className,
  onSubmit,
  submitLabel,
  submitTestId,
  pending,
  error,
  children,
}: {
  className: string;
  onSubmit: () => void;
  submitLabel: string;
  submitTestId: string;
  pending: boolean;
  error: string | null;
  children: ReactNode;
}) {
  return (
    <>
      <form
        className={cn('mt-4 grid grid-cols-1 items-end gap-3 border-t border-border pt-4', className)}
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        {children}
        <Button type="submit" variant="primary" className="h-9" disabled={pending} data-testid={submitTestId}>
          {submitLabel}
        </Button>
      </form>
      <div className="mt-2">
        <FormError message={error} />
      </div>
    </>
  );
}
