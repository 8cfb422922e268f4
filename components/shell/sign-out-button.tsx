'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiFetch } from '../queries/api-fetch';

export function SignOutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      data-testid="sign-out"
      className="rounded-md px-2 py-1 text-xs whitespace-nowrap text-muted hover:bg-surface-2 hover:text-text"
      onClick={() =>
        void (async () => {
          setBusy(true);
          await apiFetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
          router.replace('/login');
          router.refresh();
        })()
      }
    >
      Sign out
    </button>
  );
}
