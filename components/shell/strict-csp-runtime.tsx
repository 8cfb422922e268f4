'use client';

import { z } from 'zod';

// zod compiles object parsers with `new Function` when it may, and finds out by trying once; under
// the console's policy (no 'unsafe-eval') that try is reported as a violation even though zod
// catches it. Interpreted parsing is fast enough for what the browser validates.
z.config({ jitless: true });

/** Rendered once in the root layout so the setting above is in every page's bundle before any parse. */
export function StrictCspRuntime() {
  return null;
}
