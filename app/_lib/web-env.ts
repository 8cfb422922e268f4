import { loadWebEnv, type WebEnv } from '@/server/env/web-env';

const holder = globalThis as unknown as { vigilWebEnv?: WebEnv };

/**
 * The web process's environment, parsed once. Shared through globalThis because proxy.ts and
 * each route are bundled apart, and the parse creates the data directory and secret on first use.
 */
export function webEnv(): WebEnv {
  holder.vigilWebEnv ??= loadWebEnv();
  return holder.vigilWebEnv;
}
