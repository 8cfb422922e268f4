'use client';

import { useSyncExternalStore, type ReactNode } from 'react';

const noSubscription = () => () => undefined;

/**
 * Renders `children` only once the page has hydrated (at once on client-side navigation).
 * The top bar hydrates first and its queries fill the shared cache; when an answer landed before
 * the section below hydrated, the section rendered data where the server had rendered
 * "Waiting…", and React threw hydration error #418 on about half of the loads. The server has
 * no data to render for these live widgets anyway, so nothing is lost.
 */
export function AfterHydration({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return hydrated ? children : fallback;
}
