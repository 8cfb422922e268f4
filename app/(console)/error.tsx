'use client';

import { useEffect } from 'react';
import { Button } from '@/components/ui/button';

/** A widget that fails must not take the whole console down at 3 a.m. */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto mt-16 max-w-lg rounded-lg border border-bad/40 bg-surface p-6">
      <h1 className="text-base font-semibold text-bad">This view failed to render</h1>
      <p className="mt-2 text-sm text-muted">
        The worker and your session are unaffected. Try again; if it keeps failing, the browser console has the details
        {error.digest ? ` (reference ${error.digest})` : ''}.
      </p>
      <Button className="mt-4" variant="primary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
