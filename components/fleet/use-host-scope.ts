'use client';

import { useSearchParams } from 'next/navigation';
import { HOST_SCOPE_PARAM, parseHostScope } from '@/lib/fleet/host-scope';

/** The host the console is scoped to (`?host=`), or null for all hosts. */
export function useHostScope(): number | null {
  return parseHostScope(useSearchParams().get(HOST_SCOPE_PARAM));
}
