/**
 * Whether the worker's router checks each answer against its route's declared response: under
 * the test runner (vitest sets NODE_ENV=test, and so do the test helpers that spawn a worker), so
 * a handler and its contract cannot drift apart unnoticed; never in production.
 */
export function responseChecksByDefault(source: Record<string, string | undefined> = process.env): boolean {
  return source.NODE_ENV === 'test';
}
