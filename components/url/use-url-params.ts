'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useRef } from 'react';

/**
 * The page's search parameters and a way to change some of them (null removes one) while
 * keeping the rest: every view state lives in the URL, so a copied address shows the same
 * view and back/forward work.
 */
export function useUrlParams() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  // A push lands on a later render: a second change before then (Apply, then a range button at
  // once) must build on the first, not on the parameters this render still shows.
  const pending = useRef<{ from: string; query: string } | null>(null);
  const update = useCallback(
    (changes: Record<string, string | null | undefined>) => {
      const shown = params.toString();
      const base = pending.current?.from === shown ? pending.current.query : shown;
      const next = new URLSearchParams(base);
      for (const [name, value] of Object.entries(changes)) {
        if (value) next.set(name, value);
        else next.delete(name);
      }
      const query = next.toString();
      pending.current = { from: shown, query };
      router.push(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );
  return { params, update };
}
