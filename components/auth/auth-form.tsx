'use client';

import { useState, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
import { Button } from '../ui/button';
import { FormError } from '../ui/field';

/**
 * The form of the sign-in and setup pages: `validate` may stop the submit with a message,
 * `submit` sends the fields; on success the page moves to `redirectTo` and the form stays
 * busy until it is gone, on failure it shows the error and can be sent again.
 */
export function AuthForm({
  submitLabel,
  busyLabel,
  submitTestId,
  redirectTo,
  validate,
  submit,
  children,
}: {
  submitLabel: string;
  busyLabel: string;
  submitTestId: string;
  /** A function when the target depends on the browser's location, read only once signed in. */
  redirectTo: string | (() => string);
  validate?: (form: FormData) => string | null;
  submit: (form: FormData) => Promise<unknown>;
  children: ReactNode;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(event) =>
        void (async () => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const problem = validate?.(form) ?? null;
          if (problem) {
            setError(problem);
            return;
          }
          setBusy(true);
          setError(null);
          try {
            await submit(form);
            router.replace(typeof redirectTo === 'function' ? redirectTo() : redirectTo);
            router.refresh();
          } catch (e) {
            setError((e as Error).message);
            setBusy(false);
          }
        })()
      }
    >
      {children}
      <FormError message={error} />
      <Button type="submit" variant="primary" disabled={busy} className="h-9" data-testid={submitTestId}>
        {busy ? busyLabel : submitLabel}
      </Button>
    </form>
  );
}
